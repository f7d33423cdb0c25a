namespace EdgeNode.Hub.Fleet;

/// <summary>
/// Who is asking: a fleet-wide admin (<see cref="TenantId"/> null) or one tenant's operator.
/// This is the ONLY place that decides whether a tenant-owned thing is visible: every operator query in
/// <see cref="FleetRegistry"/> goes through <see cref="CanSee"/>. Invisible things are reported as
/// "not found" (HTTP 404) so that no existence leaks across tenants.
/// </summary>
public sealed record OperatorScope(string? TenantId, string Name, long TokenId = 0)
{
    public static readonly OperatorScope Admin = new((string?)null, "admin");

    public bool IsAdmin => TenantId is null;

    /// <summary>The tenant check. A null owner (e.g. an enrollment with no slot yet) is admin-only.</summary>
    public bool CanSee(string? ownerTenantId) => IsAdmin || (ownerTenantId is not null && ownerTenantId == TenantId);

    public static OperatorScope ForTenant(string tenantId, string name, long tokenId = 0) => new(tenantId, name, tokenId);
}
