using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

/// <summary>A slot's staged move: from its current generation to a stored, not yet current one.</summary>
public sealed record StagedSlot(string Path, string? DeviceId, ulong FromGeneration, ulong ToGeneration, IReadOnlyList<string> ChangedApps, DesiredState State)
{
    /// <summary>Apps added or changed (any field) from <paramref name="from"/> to <paramref name="to"/>; removed apps are not listed.</summary>
    public static IReadOnlyList<string> DiffApps(DesiredState from, DesiredState to)
    {
        var old = from.Apps.ToDictionary(a => a.Name, a => HubStore.ToBytes(a), StringComparer.Ordinal);
        return
        [
            .. to.Apps.Where(a => !old.TryGetValue(a.Name, out var bytes) || !bytes.AsSpan().SequenceEqual(HubStore.ToBytes(a))).Select(a => a.Name),
        ];
    }
}
