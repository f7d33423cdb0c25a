using System.Security.Cryptography;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;
using Microsoft.Data.Sqlite;

namespace EdgeNode.Hub.Fleet;

public sealed partial class FleetRegistry
{
    private const uint EnrollRetrySeconds = 10;

    private static Enrollment ReadEnrollment(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        HardwareId = r.GetString(1),
        Model = r.GetString(2),
        MemoryMb = (uint)r.GetInt64(3),
        CpuMillis = (uint)r.GetInt64(4),
        DiskMb = (uint)r.GetInt64(5),
        SlotHint = r.GetString(6),
        AgentVersion = r.GetString(7),
        EnrollmentIdentity = r.GetString(8),
        State = (EnrollmentState)r.GetInt64(9),
        DeviceId = r.IsDBNull(10) ? null : r.GetString(10),
        SlotPath = r.IsDBNull(11) ? null : r.GetString(11),
        Reason = r.GetString(12),
        TenantId = r.IsDBNull(13) ? null : r.GetString(13),
        CreatedMs = r.GetInt64(14),
        UpdatedMs = r.GetInt64(15),
        LastSeenMs = r.GetInt64(16),
    };

    /// <summary>
    /// POST /enroll under a fleet enrollment identity. Records a pending request, approves it at once with a valid
    /// slot-scoped token, or answers a unit that polls again: Pending, Rejected, or Approved with its id and key
    /// (only until the unit has used its own identity once).
    /// </summary>
    public EnrollResponse Enroll(EnrollmentCredential? credential, EnrollRequest request, bool secured)
    {
        var now = NowMs;
        Device? approvedDevice = null;
        List<string> retired = [];
        EnrollResponse response;
        lock (_gate)
        {
            if (_openEnrollmentByHardware.TryGetValue(request.HardwareId, out var existing))
            {
                switch (existing.State)
                {
                    case EnrollmentState.Pending:
                        existing.LastSeenMs = now;
                        _store.Exec("UPDATE enrollments SET last_seen_ms=$m WHERE id=$i", ("$m", now), ("$i", existing.Id));
                        return Pending(existing);
                    case EnrollmentState.Rejected:
                        existing.LastSeenMs = now;
                        return new EnrollResponse { Status = EnrollStatus.Rejected, Reason = existing.Reason };
                    case EnrollmentState.Approved
                        when existing.DeviceId is not null && _devices.TryGetValue(existing.DeviceId, out var dev) && !dev.Retired && !dev.Claimed:
                        return Approved(dev, secured);
                    default:
                        // The unit already used its key (or it was revoked) and asks again: a re-flashed unit. Start over.
                        _store.Exec($"UPDATE enrollments SET state={(int)EnrollmentState.Closed}, updated_ms=$m WHERE id=$i", ("$m", now), ("$i", existing.Id));
                        _openEnrollmentByHardware.Remove(existing.HardwareId);
                        _enrollments.Remove(existing.Id);
                        break;
                }
            }

            var hintSlot = request.SlotHint.Length > 0 ? _slots.GetValueOrDefault(request.SlotHint) : null;
            var enrollment = new Enrollment
            {
                Id = 0,
                HardwareId = request.HardwareId,
                Model = request.Model,
                MemoryMb = request.Capacity?.MemoryMb ?? 0,
                CpuMillis = request.Capacity?.CpuMillis ?? 0,
                DiskMb = request.Capacity?.DiskMb ?? 0,
                SlotHint = request.SlotHint,
                AgentVersion = request.AgentVersion,
                EnrollmentIdentity = credential?.Identity ?? "",
                State = EnrollmentState.Pending,
                TenantId = credential?.TenantId ?? TenantOfSlot(hintSlot),
                CreatedMs = now,
                UpdatedMs = now,
                LastSeenMs = now,
            };

            Slot? tokenSlot = null;
            long tokenId = 0;
            if (request.EnrollmentToken.Length > 0)
            {
                (tokenSlot, tokenId, var why) = CheckEnrollmentToken(request.EnrollmentToken, credential, now);
                if (tokenSlot is null)
                {
                    enrollment.Reason = "enrollment token not accepted: " + why;
                }
            }

            var id = InsertEnrollment(enrollment);
            enrollment = CopyWithId(enrollment, id);
            _enrollments[id] = enrollment;
            _openEnrollmentByHardware[enrollment.HardwareId] = enrollment;
            Log.EnrollmentRecorded(_log, id, request.HardwareId, request.Model, credential?.Identity ?? "(plain)");
            if (tokenSlot is null)
            {
                return Pending(enrollment);
            }

            (approvedDevice, retired) = ApproveInto(enrollment, tokenSlot, $"token {tokenId}", tokenId);
            response = Approved(approvedDevice, secured);
        }

        foreach (var id in retired)
        {
            DeviceRetired?.Invoke(id);
        }

        return response;
    }

    private EnrollResponse Pending(Enrollment e) =>
        new() { Status = EnrollStatus.Pending, RetryAfterSeconds = EnrollRetrySeconds, Reason = e.Reason };

    private EnrollResponse Approved(Device d, bool secured) => new()
    {
        Status = EnrollStatus.Approved,
        DeviceId = d.Id,
        Psk = secured || _options.IssuePskOverPlainCoap ? (byte[])d.Psk.Clone() : [],
        Slot = d.SlotPath ?? "",
        Reason = secured || _options.IssuePskOverPlainCoap ? "" : "key withheld: plain CoAP (dev) session; use d=<deviceId>",
    };

    private long InsertEnrollment(Enrollment e)
    {
        long id = 0;
        _store.Transaction(tx =>
        {
            tx.Exec("""
                INSERT INTO enrollments(hardware_id,model,memory_mb,cpu_millis,disk_mb,slot_hint,agent_version,enroll_identity,state,
                                        device_id,slot,reason,tenant_id,created_ms,updated_ms,last_seen_ms)
                VALUES($h,$m,$mem,$cpu,$disk,$hint,$v,$ei,$s,NULL,NULL,$r,$t,$c,$c,$c)
                """,
                ("$h", e.HardwareId), ("$m", e.Model), ("$mem", (long)e.MemoryMb), ("$cpu", (long)e.CpuMillis), ("$disk", (long)e.DiskMb),
                ("$hint", e.SlotHint), ("$v", e.AgentVersion), ("$ei", e.EnrollmentIdentity), ("$s", (int)e.State), ("$r", e.Reason),
                ("$t", e.TenantId), ("$c", e.CreatedMs));
            id = (long)tx.Scalar("SELECT last_insert_rowid()")!;
        });
        return id;
    }

    private static Enrollment CopyWithId(Enrollment e, long id) => new()
    {
        Id = id,
        HardwareId = e.HardwareId,
        Model = e.Model,
        MemoryMb = e.MemoryMb,
        CpuMillis = e.CpuMillis,
        DiskMb = e.DiskMb,
        SlotHint = e.SlotHint,
        AgentVersion = e.AgentVersion,
        EnrollmentIdentity = e.EnrollmentIdentity,
        State = e.State,
        Reason = e.Reason,
        TenantId = e.TenantId,
        CreatedMs = e.CreatedMs,
        UpdatedMs = e.UpdatedMs,
        LastSeenMs = e.LastSeenMs,
    };

    private (Slot? Slot, long TokenId, string Why) CheckEnrollmentToken(string token, EnrollmentCredential? credential, long now)
    {
        var rows = _store.Query("SELECT id,slot,expires_ms,uses_left,revoked FROM enrollment_tokens WHERE token_hash=$h",
            r => (Id: r.GetInt64(0), Slot: r.GetString(1), Expires: r.GetInt64(2), Uses: r.GetInt64(3), Revoked: r.GetInt64(4) != 0), ("$h", Hash(token)));
        if (rows.Count == 0)
        {
            return (null, 0, "unknown token");
        }

        var t = rows[0];
        if (t.Revoked)
        {
            return (null, t.Id, "token revoked");
        }

        if (t.Expires <= now)
        {
            return (null, t.Id, "token expired");
        }

        if (t.Uses <= 0)
        {
            return (null, t.Id, "token used up");
        }

        if (!_slots.TryGetValue(t.Slot, out var slot))
        {
            return (null, t.Id, $"slot '{t.Slot}' no longer exists");
        }

        if (credential?.TenantId is { } tenant && TenantOfSlot(slot) != tenant)
        {
            return (null, t.Id, "token belongs to another fleet");
        }

        return (slot, t.Id, "");
    }

    public IReadOnlyList<EnrollmentView> ListEnrollments(OperatorScope scope, EnrollmentState? state)
    {
        lock (_gate)
        {
            var open = _enrollments.Values.Where(e => scope.CanSee(e.TenantId) && (state is null || e.State == state)).Select(ToView);
            if (state is EnrollmentState.Closed or null)
            {
                var closed = _store.Query(
                    $"""
                     SELECT id,hardware_id,model,memory_mb,cpu_millis,disk_mb,slot_hint,agent_version,enroll_identity,state,device_id,slot,reason,
                            tenant_id,created_ms,updated_ms,last_seen_ms
                     FROM enrollments WHERE state = {(int)EnrollmentState.Closed} ORDER BY id DESC LIMIT 500
                     """, ReadEnrollment).Where(e => scope.CanSee(e.TenantId)).Select(ToView);
                open = open.Concat(closed);
            }

            return [.. open.OrderByDescending(e => e.Id)];
        }
    }

    public EnrollmentView GetEnrollment(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            return ToView(VisibleEnrollment(scope, id));
        }
    }

    private Enrollment VisibleEnrollment(OperatorScope scope, long id) =>
        _enrollments.TryGetValue(id, out var e) && scope.CanSee(e.TenantId) ? e : throw FleetException.NotFound($"enrollment {id}");

    private static EnrollmentView ToView(Enrollment e) =>
        new(e.Id, e.HardwareId, e.Model, e.MemoryMb, e.CpuMillis, e.DiskMb, e.SlotHint, e.AgentVersion, e.State.ToString(), e.DeviceId,
            e.SlotPath, e.Reason, e.TenantId, Time(e.CreatedMs), Time(e.LastSeenMs));

    /// <summary>
    /// Approves a pending enrollment into a slot. When the slot holds a unit already, that unit is retired (swap):
    /// its key is revoked and its sessions dropped. The new unit inherits the slot's desired state.
    /// </summary>
    public DeviceView Approve(OperatorScope scope, long enrollmentId, string? slotPath)
    {
        Device device;
        List<string> retired;
        lock (_gate)
        {
            var e = VisibleEnrollment(scope, enrollmentId);
            if (e.State != EnrollmentState.Pending)
            {
                throw FleetException.Conflict($"enrollment {enrollmentId} is {e.State.ToString().ToLowerInvariant()}, not pending");
            }

            slotPath = string.IsNullOrWhiteSpace(slotPath) ? e.SlotHint : slotPath;
            if (string.IsNullOrWhiteSpace(slotPath))
            {
                throw FleetException.Invalid($"enrollment {enrollmentId} has no slot hint: name the slot to approve it into");
            }

            var slot = VisibleSlot(scope, slotPath);
            if (e.TenantId is not null && TenantOfSlot(slot) != e.TenantId)
            {
                throw FleetException.Invalid($"slot '{slotPath}' belongs to another tenant than enrollment {enrollmentId}");
            }

            (device, retired) = ApproveInto(e, slot, scope.Name, 0);
        }

        foreach (var id in retired)
        {
            DeviceRetired?.Invoke(id);
        }

        lock (_gate)
        {
            return ToView(device, withApps: false);
        }
    }

    public EnrollmentView Reject(OperatorScope scope, long enrollmentId, string reason)
    {
        lock (_gate)
        {
            var e = VisibleEnrollment(scope, enrollmentId);
            if (e.State != EnrollmentState.Pending)
            {
                throw FleetException.Conflict($"enrollment {enrollmentId} is {e.State.ToString().ToLowerInvariant()}, not pending");
            }

            var why = string.IsNullOrWhiteSpace(reason) ? $"rejected by {scope.Name}" : reason;
            var now = NowMs;
            _store.Exec("UPDATE enrollments SET state=$s, reason=$r, updated_ms=$m WHERE id=$i",
                ("$s", (int)EnrollmentState.Rejected), ("$r", why), ("$m", now), ("$i", e.Id));
            e.State = EnrollmentState.Rejected;
            e.Reason = why;
            e.UpdatedMs = now;
            return ToView(e);
        }
    }

    /// <summary>Creates the device, binds it to the slot, retires the slot's previous unit (swap). Caller holds _gate.</summary>
    private (Device Device, List<string> Retired) ApproveInto(Enrollment e, Slot slot, string by, long tokenId)
    {
        var now = NowMs;
        var device = new Device
        {
            Id = NewDeviceId(),
            HardwareId = e.HardwareId,
            Model = e.Model,
            Psk = RandomNumberGenerator.GetBytes(16),
            CreatedMs = now,
            EnrollmentId = e.Id,
            Capacity = new Capacity { MemoryMb = e.MemoryMb, CpuMillis = e.CpuMillis, DiskMb = e.DiskMb },
            SlotPath = slot.Path,
            Slot = slot,
            Status = DeviceStatus.Unknown,
            StatusSinceMs = now,
        };
        var old = slot.DeviceId is not null ? _devices.GetValueOrDefault(slot.DeviceId) : null;
        var oldReason = old is null ? "" : $"replaced by {device.Id} (hardware {e.HardwareId}) in slot {slot.Path}, approved by {by}";
        // The same hardware active in another slot (a unit moved): retire that identity too.
        var moved = _activeByHardware.TryGetValue(e.HardwareId, out var same) && same != old && !same.Retired ? same : null;
        var tenant = TenantOfSlot(slot);
        _store.Transaction(tx =>
        {
            if (old is not null)
            {
                RetireInStore(tx, old, oldReason);
            }

            if (moved is not null)
            {
                RetireInStore(tx, moved, $"hardware moved to slot {slot.Path} as {device.Id}");
            }

            tx.Exec("""
                INSERT INTO devices(id,hardware_id,model,capacity,psk,enrollment_id,slot,created_ms)
                VALUES($i,$h,$m,$c,$k,$e,$s,$t)
                """,
                ("$i", device.Id), ("$h", device.HardwareId), ("$m", device.Model), ("$c", HubStore.ToBytes(device.Capacity)),
                ("$k", device.Psk), ("$e", e.Id), ("$s", slot.Path), ("$t", now));
            tx.Exec("INSERT INTO device_health(device_id,status,status_since_ms,last_hb_ms) VALUES($i,$s,$t,0)",
                ("$i", device.Id), ("$s", (int)DeviceStatus.Unknown), ("$t", now));
            tx.Exec("UPDATE slots SET device_id=$i WHERE path=$s", ("$i", device.Id), ("$s", slot.Path));
            tx.Exec("UPDATE enrollments SET state=$st, device_id=$i, slot=$s, tenant_id=$t, updated_ms=$m, reason=$r WHERE id=$e",
                ("$st", (int)EnrollmentState.Approved), ("$i", device.Id), ("$s", slot.Path), ("$t", tenant), ("$m", now),
                ("$r", $"approved by {by}"), ("$e", e.Id));
            if (tokenId != 0)
            {
                tx.Exec("UPDATE enrollment_tokens SET uses_left=uses_left-1 WHERE id=$i", ("$i", tokenId));
            }
        });

        if (old is not null)
        {
            RetireInMemory(old, oldReason);
        }

        if (moved is not null)
        {
            RetireInMemory(moved, $"hardware moved to slot {slot.Path} as {device.Id}");
        }

        _devices[device.Id] = device;
        _activeByHardware[device.HardwareId] = device;
        slot.DeviceId = device.Id;
        e.State = EnrollmentState.Approved;
        e.DeviceId = device.Id;
        e.SlotPath = slot.Path;
        e.TenantId = tenant;
        e.UpdatedMs = now;
        e.Reason = $"approved by {by}";
        _enrollments[e.Id] = e;
        _openEnrollmentByHardware[e.HardwareId] = e;
        Log.EnrollmentApproved(_log, e.Id, device.Id, slot.Path, by, old?.Id ?? "-");
        List<string> retiredIds = [];
        if (old is not null)
        {
            retiredIds.Add(old.Id);
        }

        if (moved is not null)
        {
            retiredIds.Add(moved.Id);
        }

        return (device, retiredIds);
    }

    // ------------------------------------------------------------------ slot-scoped enrollment tokens

    public EnrollmentTokenView CreateEnrollmentToken(OperatorScope scope, string slotPath, TimeSpan validFor, int uses)
    {
        if (uses < 1 || validFor <= TimeSpan.Zero)
        {
            throw FleetException.Invalid("an enrollment token needs uses ≥ 1 and a positive validity");
        }

        lock (_gate)
        {
            var slot = VisibleSlot(scope, slotPath);
            var token = "et-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var now = NowMs;
            var expires = now + (long)validFor.TotalMilliseconds;
            _store.Exec("INSERT INTO enrollment_tokens(slot,token_hash,created_ms,expires_ms,uses_left,created_by) VALUES($s,$h,$c,$e,$u,$b)",
                ("$s", slot.Path), ("$h", Hash(token)), ("$c", now), ("$e", expires), ("$u", uses), ("$b", scope.Name));
            var id = (long)_store.Scalar("SELECT id FROM enrollment_tokens WHERE token_hash=$h", ("$h", Hash(token)))!;
            return new EnrollmentTokenView(id, slot.Path, Time(now), Time(expires), uses, false, token);
        }
    }

    public IReadOnlyList<EnrollmentTokenView> ListEnrollmentTokens(OperatorScope scope)
    {
        var rows = _store.Query("SELECT id,slot,created_ms,expires_ms,uses_left,revoked FROM enrollment_tokens ORDER BY id",
            r => new EnrollmentTokenView(r.GetInt64(0), r.GetString(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)), (int)r.GetInt64(4), r.GetInt64(5) != 0, null));
        lock (_gate)
        {
            return [.. rows.Where(t => _slots.TryGetValue(t.Slot, out var s) && scope.CanSee(TenantOfSlot(s)))];
        }
    }

    public void RevokeEnrollmentToken(OperatorScope scope, long id)
    {
        var token = ListEnrollmentTokens(scope).FirstOrDefault(t => t.Id == id) ?? throw FleetException.NotFound($"enrollment token {id}");
        _store.Exec("UPDATE enrollment_tokens SET revoked=1 WHERE id=$i", ("$i", token.Id));
    }

    // ------------------------------------------------------------------ registration

    /// <summary>POST /reg (once per boot, under the device identity): records the boot and claims the key.</summary>
    public RegisterResponse Register(Device device, RegisterRequest request)
    {
        var now = NowMs;
        lock (_gate)
        {
            _store.Transaction(tx =>
            {
                tx.Exec("""
                    UPDATE devices SET claimed=1, agent_version=$v, boot_count=$b, boot_reason=$br, registered_ms=$m,
                      model=CASE WHEN $mo='' THEN model ELSE $mo END, capacity=COALESCE($c, capacity) WHERE id=$i
                    """,
                    ("$v", request.AgentVersion), ("$b", (long)request.BootCount), ("$br", (long)request.BootReason), ("$m", now), ("$mo", request.Model),
                    ("$c", request.Capacity is null ? null : HubStore.ToBytes(request.Capacity)), ("$i", device.Id));
                tx.Exec($"UPDATE enrollments SET state={(int)EnrollmentState.Closed}, updated_ms=$m WHERE id=$e AND state={(int)EnrollmentState.Approved}",
                    ("$m", now), ("$e", device.EnrollmentId));
            });
            device.Claimed = true;
            device.AgentVersion = request.AgentVersion;
            device.BootCount = request.BootCount;
            device.BootReason = request.BootReason; // the view shows this boot's reason before its first heartbeat
            device.RegisteredMs = now;
            device.Model = request.Model.Length > 0 ? request.Model : device.Model;
            device.Capacity = request.Capacity ?? device.Capacity;
            CloseEnrollmentOf(device);
        }

        Log.DeviceRegistered(_log, device.Id, device.SlotPath ?? "-", request.BootReason.ToString(), request.AgentVersion);
        return new RegisterResponse
        {
            DesiredGeneration = device.Slot?.CurrentGeneration ?? 0,
            HeartbeatIntervalSeconds = (uint)_options.HeartbeatInterval.TotalSeconds,
            Slot = device.SlotPath ?? "",
            EventsAckedThrough = device.LastEventSequence,
        };
    }

    /// <summary>The first heartbeat of a unit that skipped /reg also claims its key. Caller holds _gate.</summary>
    private void Claim(Device device)
    {
        _store.Transaction(tx =>
        {
            tx.Exec("UPDATE devices SET claimed=1 WHERE id=$i", ("$i", device.Id));
            tx.Exec($"UPDATE enrollments SET state={(int)EnrollmentState.Closed}, updated_ms=$m WHERE id=$e AND state={(int)EnrollmentState.Approved}",
                ("$m", NowMs), ("$e", device.EnrollmentId));
        });
        device.Claimed = true;
        CloseEnrollmentOf(device);
    }

    private void CloseEnrollmentOf(Device device)
    {
        if (_enrollments.TryGetValue(device.EnrollmentId, out var e) && e.State == EnrollmentState.Approved)
        {
            _enrollments.Remove(e.Id);
            if (_openEnrollmentByHardware.TryGetValue(e.HardwareId, out var open) && open.Id == e.Id)
            {
                _openEnrollmentByHardware.Remove(e.HardwareId);
            }
        }
    }

    internal static string DefaultTenantOf(EnrollmentCredential? credential) => credential?.TenantId ?? FleetDefaults.DefaultTenant;
}
