using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

public sealed partial class FleetRegistry
{
    /// <summary>Every active (not retired) unit with its status and failed apps, for the alert rules (issue 8).</summary>
    internal IReadOnlyList<AlertSubject> AlertSubjects()
    {
        var result = new List<AlertSubject>();
        lock (_gate)
        {
            foreach (var d in _devices.Values)
            {
                if (d.Retired)
                {
                    continue;
                }

                Heartbeat? hb;
                DeviceStatus status;
                long since;
                lock (d)
                {
                    hb = d.LastHeartbeat;
                    status = d.EffectiveStatus;
                    since = d.StatusSinceMs;
                }

                var failed = new List<string>();
                var slot = d.Slot;
                if (hb is not null && slot is not null)
                {
                    var applied = hb.AppliedGeneration == slot.CurrentGeneration ? slot.Current : null;
                    for (var i = 0; i < hb.AppStates.Count; i++)
                    {
                        if (AppStateCode.Phase(hb.AppStates[i]) == AppPhase.Failed)
                        {
                            failed.Add(applied is not null && i < applied.Apps.Count ? applied.Apps[i].Name : "#" + i);
                        }
                    }
                }

                result.Add(new AlertSubject(d.Id, TenantOfSlot(slot), d.SlotPath, status, since, failed));
            }
        }

        return result;
    }
}
