namespace EdgeNode.Hub.Fleet;

/// <summary>An operator token as listed (the secret is only in the response that created it).</summary>
public sealed record OperatorTokenView(long Id, string Name, string? Tenant, DateTimeOffset Created, DateTimeOffset? Revoked, string? Token);
