using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

/// <summary>What the rollout engine (issue 8) needs from the registry: the spec guard, slot moves and slot health.</summary>
public sealed partial class FleetRegistry
{
    /// <summary>tenant → its active rollout (Running, Paused or Halted). Guarded by _gate.</summary>
    private readonly Dictionary<string, long> _activeRollouts = new(StringComparer.Ordinal);

    private void RequireNoActiveRollout(string tenantId)
    {
        if (_activeRollouts.TryGetValue(tenantId, out var id))
        {
            throw FleetException.Conflict($"rollout {id} of tenant '{tenantId}' is still active: let it complete, or abort or roll it back, before applying another spec");
        }
    }

    /// <summary>Marks (or with null clears) the tenant's active rollout; while one is active, spec applies for the tenant get 409.</summary>
    internal void SetActiveRollout(string tenantId, long? rolloutId)
    {
        lock (_gate)
        {
            if (rolloutId is { } id)
            {
                _activeRollouts[tenantId] = id;
            }
            else
            {
                _activeRollouts.Remove(tenantId);
            }
        }
    }

    internal bool CanSeeTenant(OperatorScope scope, string tenantId) => scope.CanSee(tenantId) && TenantExists(tenantId);

    /// <summary>Points each slot at a stored generation (promote or roll back) and writes <paramref name="alsoWrite"/> in the same transaction.</summary>
    internal void MoveSlots(IReadOnlyList<(string Path, ulong Generation, ulong Previous)> moves, Action<HubStore> alsoWrite)
    {
        lock (_gate)
        {
            var states = moves.Select(m => LoadGeneration(m.Path, m.Generation)
                ?? throw new InvalidOperationException($"generation {m.Generation} of slot '{m.Path}' is missing from the store")).ToList();
            _store.Transaction(tx =>
            {
                foreach (var (path, generation, previous) in moves)
                {
                    tx.Exec("UPDATE slots SET current_gen=$g, previous_gen=$p WHERE path=$s", ("$s", path), ("$g", (long)generation), ("$p", (long)previous));
                }

                alsoWrite(tx);
            });
            for (var i = 0; i < moves.Count; i++)
            {
                var slot = _slots[moves[i].Path];
                slot.CurrentBytes = HubStore.ToBytes(states[i]);
                slot.Current = states[i];
                slot.PreviousGeneration = moves[i].Previous;
            }
        }
    }

    /// <summary>The unit bound to a slot as the gate sees it, or null when the slot has no unit.</summary>
    internal SlotHealth? GetSlotHealth(string path)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(path, out var slot) || slot.DeviceId is null || !_devices.TryGetValue(slot.DeviceId, out var d))
            {
                return null;
            }

            Heartbeat? hb;
            DeviceStatus status;
            lock (d)
            {
                hb = d.LastHeartbeat;
                status = d.EffectiveStatus;
            }

            var apps = new Dictionary<string, (AppPhase, uint)>(StringComparer.Ordinal);
            if (hb is not null)
            {
                // App states are packed by index into the APPLIED generation's app list.
                var applied = hb.AppliedGeneration == slot.CurrentGeneration ? slot.Current : LoadGeneration(path, hb.AppliedGeneration);
                for (var i = 0; applied is not null && i < applied.Apps.Count && i < hb.AppStates.Count; i++)
                {
                    apps[applied.Apps[i].Name] = (AppStateCode.Phase(hb.AppStates[i]), AppStateCode.Restarts(hb.AppStates[i]));
                }
            }

            return new SlotHealth(d.Id, status, hb?.AppliedGeneration ?? 0, [.. hb?.Degraded ?? []], apps);
        }
    }

    internal string? TenantOfSlotPath(string path)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(path, out var slot) ? TenantOfSlot(slot) : null;
        }
    }

    internal ulong CurrentGenerationOf(string path)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(path, out var slot) ? slot.CurrentGeneration : 0;
        }
    }
}
