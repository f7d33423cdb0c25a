using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

public sealed record SlotView(
    string Path,
    string Site,
    string Tenant,
    IReadOnlyDictionary<string, string> Labels,
    bool InSpec,
    ulong CurrentGeneration,
    ulong PreviousGeneration,
    string? DeviceId,
    IReadOnlyList<AppSpec>? Apps);
