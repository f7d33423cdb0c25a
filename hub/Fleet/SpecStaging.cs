using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Store;

namespace EdgeNode.Hub.Fleet;

/// <summary>
/// Asks <see cref="FleetRegistry.ApplySpec"/> to STAGE the new generations of selected, existing slots instead of making
/// them current (a rollout). <see cref="Persist"/> runs inside the spec's transaction (throwing undoes the whole apply);
/// <see cref="Committed"/> runs under the registry lock after it.
/// </summary>
public sealed class SpecStaging(RolloutSelector selector, Action<HubStore, string, long> persist, Action<string, long> committed)
{
    public RolloutSelector Selector { get; } = selector;

    /// <summary>Selected slots whose apps change: a new generation is stored for each, not yet current.</summary>
    public List<StagedSlot> Staged { get; } = [];

    /// <summary>Changed slots outside the selector: they keep their state (a later apply or rollout picks them up).</summary>
    public List<string> Deferred { get; } = [];

    public void Persist(HubStore tx, string tenantId, long revision) => persist(tx, tenantId, revision);

    public void Committed(string tenantId, long revision) => committed(tenantId, revision);
}
