namespace EdgeNode.Hub.Fleet;

/// <summary>A customer: owns sites, and through them slots, devices, specs and rollouts.</summary>
public sealed record Tenant(string Id, string Name, long CreatedMs);
