namespace EdgeNode.Hub.Fleet;

/// <summary>Device list filter: status, site, labels (all must match), and whether to include retired units.</summary>
public sealed record DeviceFilter(DeviceStatus? Status = null, string? Site = null, IReadOnlyDictionary<string, string>? Labels = null, bool IncludeRetired = false);
