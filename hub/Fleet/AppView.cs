namespace EdgeNode.Hub.Fleet;

/// <summary>One app on a device: what the slot wants and what the unit last reported.</summary>
public sealed record AppView(string Name, string Image, string Phase, uint Restarts, int? LastExitCode, string? Error, string? LogTail);
