namespace EdgeNode.Hub.Fleet;

/// <summary>An event on a device's timeline: an agent journal event (Sequence set) or a hub status change.</summary>
public sealed record DeviceEventView(DateTimeOffset Time, string Source, ulong? Sequence, string Kind, string App, string Detail);
