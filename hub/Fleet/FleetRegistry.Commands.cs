using EdgeNode.Link.Contracts;
using Microsoft.Data.Sqlite;

namespace EdgeNode.Hub.Fleet;

public sealed partial class FleetRegistry
{
    private const string CommandColumns =
        "id,device_id,kind,app,duration_s,tail_lines,state,created_ms,delivered_ms,completed_ms,ok,message,output,requested_by";

    private static CommandRecord ReadCommand(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        DeviceId = r.GetString(1),
        Kind = (CommandKind)r.GetInt64(2),
        App = r.GetString(3),
        DurationSeconds = (uint)r.GetInt64(4),
        TailLines = (uint)r.GetInt64(5),
        State = (CommandState)r.GetInt64(6),
        CreatedMs = r.GetInt64(7),
        DeliveredMs = r.GetInt64(8),
        CompletedMs = r.GetInt64(9),
        Ok = r.GetInt64(10) != 0,
        Message = r.GetString(11),
        Output = r.GetString(12),
        RequestedBy = r.GetString(13),
    };

    private void LoadCommands()
    {
        foreach (var c in _store.Query($"SELECT {CommandColumns} FROM commands WHERE state <> {(int)CommandState.Done} ORDER BY id", ReadCommand))
        {
            if (_devices.TryGetValue(c.DeviceId, out var d) && !d.Retired)
            {
                d.Outstanding.Add(c);
            }
        }
    }

    /// <summary>Queues an operator command; it goes out with the device's next heartbeat ack.</summary>
    public CommandView EnqueueCommand(OperatorScope scope, string deviceId, CommandKind kind, string app, uint durationSeconds, uint tailLines)
    {
        Device d;
        lock (_gate)
        {
            d = VisibleDevice(scope, deviceId);
            if (d.Retired)
            {
                throw FleetException.Conflict($"device '{deviceId}' is retired");
            }

            if (kind != CommandKind.Identify)
            {
                if (string.IsNullOrWhiteSpace(app))
                {
                    throw FleetException.Invalid($"{kind} needs an app name");
                }

                if (d.Slot is null || !d.Slot.Current.Apps.Any(a => a.Name == app))
                {
                    throw FleetException.NotFound($"app '{app}' on device '{deviceId}'");
                }
            }
        }

        if (kind == CommandKind.Identify && durationSeconds is 0 or > 3600)
        {
            throw FleetException.Invalid("identify needs a duration of 1..3600 seconds");
        }

        var now = NowMs;
        _store.Exec("INSERT INTO commands(device_id,kind,app,duration_s,tail_lines,state,created_ms,requested_by) VALUES($d,$k,$a,$s,$t,$st,$c,$b)",
            ("$d", d.Id), ("$k", (int)kind), ("$a", app ?? ""), ("$s", (long)durationSeconds), ("$t", (long)tailLines),
            ("$st", (int)CommandState.Pending), ("$c", now), ("$b", scope.Name));
        var id = (long)_store.Scalar("SELECT MAX(id) FROM commands WHERE device_id=$d", ("$d", d.Id))!;
        var record = new CommandRecord
        {
            Id = id, DeviceId = d.Id, Kind = kind, App = app ?? "", DurationSeconds = durationSeconds, TailLines = tailLines,
            State = CommandState.Pending, CreatedMs = now, RequestedBy = scope.Name,
        };
        lock (d)
        {
            d.Outstanding.Add(record);
        }

        return ToView(record);
    }

    /// <summary>Adds the commands due to the ack (pending, or delivered without an answer for too long). Caller holds lock(device).</summary>
    private List<CommandRecord>? CommandsDue(Device device, long now, HeartbeatAck ack)
    {
        List<CommandRecord>? due = null;
        var redeliver = (long)_options.CommandRedeliveryInterval.TotalMilliseconds;
        foreach (var c in device.Outstanding)
        {
            if (c.State == CommandState.Pending || (c.State == CommandState.Delivered && now - c.DeliveredMs >= redeliver))
            {
                ack.Commands.Add(new Command { Id = (ulong)c.Id, Kind = c.Kind, App = c.App, DurationSeconds = c.DurationSeconds, TailLines = c.TailLines });
                c.State = CommandState.Delivered;
                c.DeliveredMs = now;
                (due ??= []).Add(c);
                _metrics.CommandDelivered();
            }
        }

        return due;
    }

    private void PersistDelivered(List<CommandRecord> delivered, long now)
    {
        _store.Transaction(tx =>
        {
            foreach (var c in delivered)
            {
                tx.Exec("UPDATE commands SET state=$s, delivered_ms=$m WHERE id=$i AND state <> $done",
                    ("$s", (int)CommandState.Delivered), ("$m", now), ("$i", c.Id), ("$done", (int)CommandState.Done));
            }
        });
    }

    /// <summary>POST /cmd: the unit's answer. Returns false when the command is not this device's (→ 4.04).</summary>
    public bool CompleteCommand(Device device, CommandResult result)
    {
        var now = NowMs;
        CommandRecord? record;
        lock (device)
        {
            record = device.Outstanding.FirstOrDefault(c => c.Id == (long)result.Id);
            if (record is not null)
            {
                device.Outstanding.Remove(record);
                record.State = CommandState.Done;
                record.Ok = result.Ok;
                record.Message = result.Message;
                record.Output = result.Output;
                record.CompletedMs = now;
            }
        }

        if (record is null)
        {
            // A repeated answer (lost ACK) to a command already done is fine; anything else is unknown.
            return _store.Scalar("SELECT id FROM commands WHERE id=$i AND device_id=$d", ("$i", (long)result.Id), ("$d", device.Id)) is not null;
        }

        _store.Exec("UPDATE commands SET state=$s, completed_ms=$m, ok=$o, message=$msg, output=$out WHERE id=$i",
            ("$s", (int)CommandState.Done), ("$m", now), ("$o", result.Ok ? 1 : 0), ("$msg", result.Message), ("$out", result.Output), ("$i", record.Id));
        Log.CommandCompleted(_log, record.Id, device.Id, record.Kind.ToString(), result.Ok, result.Message);
        return true;
    }

    public IReadOnlyList<CommandView> ListCommands(OperatorScope scope, string deviceId, int limit = 100)
    {
        lock (_gate)
        {
            VisibleDevice(scope, deviceId);
        }

        return [.. _store.Query($"SELECT {CommandColumns} FROM commands WHERE device_id=$d ORDER BY id DESC LIMIT $l", ReadCommand,
            ("$d", deviceId), ("$l", Math.Clamp(limit, 1, 1000))).Select(ToView)];
    }

    public CommandView GetCommand(OperatorScope scope, long id)
    {
        var rows = _store.Query($"SELECT {CommandColumns} FROM commands WHERE id=$i", ReadCommand, ("$i", id));
        if (rows.Count == 0)
        {
            throw FleetException.NotFound($"command {id}");
        }

        lock (_gate)
        {
            if (!_devices.TryGetValue(rows[0].DeviceId, out var d) || !scope.CanSee(TenantOfDevice(d)))
            {
                throw FleetException.NotFound($"command {id}");
            }
        }

        return ToView(rows[0]);
    }

    private static CommandView ToView(CommandRecord c) =>
        new(c.Id, c.DeviceId, c.Kind.ToString(), c.App, c.DurationSeconds, c.TailLines, c.State.ToString(), Time(c.CreatedMs),
            TimeOrNull(c.DeliveredMs), TimeOrNull(c.CompletedMs), c.State == CommandState.Done ? c.Ok : null, c.Message, c.Output, c.RequestedBy);
}
