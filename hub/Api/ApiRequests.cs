namespace EdgeNode.Hub.Api;

/// <summary>Request bodies of the operator API (JSON, camelCase).</summary>
public sealed record ApproveRequest(string? Slot);

public sealed record RejectRequest(string? Reason);

public sealed record RetireRequest(string? Reason);

public sealed record IdentifyRequest(uint Seconds = 30);

public sealed record AppActionRequest(uint Lines = 100);

public sealed record SpecRequest(Dictionary<string, string> Files, string? Source);

public sealed record EnrollmentTokenRequest(string Slot, double ValidHours = 24, int Uses = 1);

public sealed record TenantRequest(string Id, string? Name);

public sealed record TokenRequest(string Name, string? Tenant);
