namespace EdgeNode.Hub.Fleet;

public enum FleetErrorKind
{
    /// <summary>404: missing, or owned by another tenant.</summary>
    NotFound,
    /// <summary>400: the request itself is wrong.</summary>
    Invalid,
    /// <summary>409: the request clashes with the current state (e.g. approving an already-rejected request).</summary>
    Conflict,
    /// <summary>403: the caller's scope may not do this at all (e.g. a tenant creating tenants).</summary>
    Forbidden,
}
