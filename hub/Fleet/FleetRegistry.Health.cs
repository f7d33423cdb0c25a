using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

public sealed partial class FleetRegistry
{
    /// <summary>
    /// The heartbeat hot path: updates the device's live health in memory (flushed later in a batch), records a
    /// status change, and builds the ack: current generation, events acked, commands due.
    /// </summary>
    public HeartbeatAck Heartbeat(Device device, Heartbeat hb)
    {
        var now = NowMs;
        var ack = new HeartbeatAck();
        var claim = false;
        List<CommandRecord>? delivered = null;
        lock (device)
        {
            device.LastHeartbeat = hb;
            device.BootReason = hb.BootReason;
            device.LastHeartbeatMs = now;
            device.HeartbeatCount++;
            var status = hb.State is UnitState.Degraded or UnitState.Fault || hb.Degraded.Count > 0 ? DeviceStatus.Degraded : DeviceStatus.Online;
            if (status != device.Status)
            {
                var reason = status == DeviceStatus.Degraded
                    ? $"unit reports {hb.State}" + (hb.Degraded.Count > 0 ? ": " + string.Join(", ", hb.Degraded) : "")
                    : "heartbeat received";
                _statusChanges.Enqueue(new StatusChange(device.Id, now, device.Status, status, reason));
                _metrics.StatusChanged();
                device.Status = status;
                device.StatusSinceMs = now;
            }

            if (!device.Dirty)
            {
                device.Dirty = true;
                _dirty.Enqueue(device);
            }

            ack.DesiredGeneration = device.Slot?.CurrentGeneration ?? 0;
            ack.EventsAckedThrough = device.LastEventSequence;
            if (device.Outstanding.Count > 0)
            {
                delivered = CommandsDue(device, now, ack);
            }

            claim = !device.Claimed;
        }

        _metrics.Heartbeat();
        if (claim)
        {
            lock (_gate)
            {
                if (!device.Claimed)
                {
                    Claim(device);
                }
            }
        }

        if (delivered is not null)
        {
            PersistDelivered(delivered, now);
        }

        return ack;
    }

    /// <summary>Marks devices Offline whose last heartbeat is older than the timeout. Returns how many changed.</summary>
    public int SweepOffline()
    {
        var now = NowMs;
        var timeout = (long)_options.EffectiveOfflineTimeout.TotalMilliseconds;
        var changed = 0;
        foreach (var d in _devices.Values)
        {
            if (d.Retired || d.Status is not (DeviceStatus.Online or DeviceStatus.Degraded))
            {
                continue;
            }

            lock (d)
            {
                // After a hub restart, count silence from the start: heartbeats could not arrive while the hub was down.
                var last = Math.Max(d.LastHeartbeatMs, _startedMs);
                if (d.Status is DeviceStatus.Online or DeviceStatus.Degraded && now - last > timeout)
                {
                    var reason = $"no heartbeat for {(now - d.LastHeartbeatMs) / 1000} s (timeout {timeout / 1000} s)";
                    _statusChanges.Enqueue(new StatusChange(d.Id, now, d.Status, DeviceStatus.Offline, reason));
                    _metrics.StatusChanged();
                    Log.DeviceOffline(_log, d.Id, d.SlotPath ?? "-", reason);
                    d.Status = DeviceStatus.Offline;
                    d.StatusSinceMs = now;
                    if (!d.Dirty)
                    {
                        d.Dirty = true;
                        _dirty.Enqueue(d);
                    }

                    changed++;
                }
            }
        }

        return changed;
    }

    /// <summary>Writes every device whose health changed since the last flush, and the queued status changes, in one transaction.</summary>
    public int FlushHealth()
    {
        var rows = new List<HealthRow>();
        while (_dirty.TryDequeue(out var d))
        {
            lock (d)
            {
                d.Dirty = false;
                rows.Add(new HealthRow(d.Id, d.EffectiveStatus, d.StatusSinceMs, d.LastHeartbeatMs,
                    d.LastHeartbeat is null ? null : HubStore.ToBytes(d.LastHeartbeat),
                    d.LastReport is null ? null : HubStore.ToBytes(d.LastReport),
                    d.HeartbeatCount));
            }
        }

        var changes = new List<StatusChange>();
        while (_statusChanges.TryDequeue(out var c))
        {
            changes.Add(c);
        }

        try
        {
            _store.FlushHealth(rows, changes);
        }
        catch
        {
            // Nothing is lost: put everything back for the next flush.
            foreach (var c in changes)
            {
                _statusChanges.Enqueue(c);
            }

            foreach (var r in rows)
            {
                if (_devices.TryGetValue(r.DeviceId, out var d))
                {
                    lock (d)
                    {
                        if (!d.Dirty)
                        {
                            d.Dirty = true;
                            _dirty.Enqueue(d);
                        }
                    }
                }
            }

            throw;
        }

        if (rows.Count > 0 || changes.Count > 0)
        {
            _metrics.Flushed(rows.Count);
        }

        return rows.Count;
    }

    /// <summary>POST /st: the full per-app report, kept with the device (flushed with its health).</summary>
    public void StatusReport(Device device, StatusReport report)
    {
        lock (device)
        {
            device.LastReport = report;
            if (!device.Dirty)
            {
                device.Dirty = true;
                _dirty.Enqueue(device);
            }
        }
    }

    /// <summary>POST /ev: stores each (device, sequence) once, written at once; returns the ack.</summary>
    public EventAck StoreEvents(Device device, EventBatch batch)
    {
        if (batch.Events.Count > 0)
        {
            var inserted = _store.InsertEvents(device.Id, batch.Events, NowMs);
            _metrics.EventsAdded(inserted, batch.Events.Count - inserted);
            var max = batch.Events.Max(e => e.Sequence);
            lock (device)
            {
                device.LastEventSequence = Math.Max(device.LastEventSequence, max);
            }
        }

        lock (device)
        {
            return new EventAck { AckedThrough = device.LastEventSequence };
        }
    }
}
