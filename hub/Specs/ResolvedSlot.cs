using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Specs;

/// <summary>The outcome of base + groups + site + slot overlays for one slot.</summary>
public sealed record ResolvedSlot(
    string Path,
    string Site,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<AppSpec> Apps);
