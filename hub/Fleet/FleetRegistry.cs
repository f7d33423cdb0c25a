using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Metrics;
using EdgeNode.Hub.Specs;
using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Fleet;

/// <summary>
/// The fleet: tenants → sites → slots → devices, enrollments, desired-state generations, health and commands.
/// Everything lives in memory for the device hot path and is written to <see cref="HubStore"/>: structural changes
/// (enrollment, approval, swap, spec) at once in one transaction, heartbeat health in batches (<see cref="FlushHealth"/>).
/// Every operator-facing method takes an <see cref="OperatorScope"/> and checks it with <see cref="OperatorScope.CanSee"/>.
/// </summary>
public sealed partial class FleetRegistry
{
    private readonly object _gate = new();
    private readonly HubStore _store;
    private readonly HubOptions _options;
    private readonly TimeProvider _time;
    private readonly HubMetrics _metrics;
    private readonly ILogger _log;
    private readonly Dictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Site> _sites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Enrollment> _enrollments = [];
    private readonly Dictionary<string, Device> _activeByHardware = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Enrollment> _openEnrollmentByHardware = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Device> _dirty = new();
    private readonly ConcurrentQueue<StatusChange> _statusChanges = new();
    private readonly long _startedMs;

    public FleetRegistry(HubStore store, HubOptions options, TimeProvider time, HubMetrics metrics, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _metrics = metrics;
        _log = logger;
        _startedMs = NowMs;
        Load();
    }

    /// <summary>Raised (outside locks) with a device id whose key was just revoked: drop its DTLS sessions.</summary>
    public event Action<string>? DeviceRetired;

    public HubStore Store => _store;

    public HubOptions Options => _options;

    public int DeviceCount => _devices.Count;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? TimeOrNull(long ms) => ms == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    // ------------------------------------------------------------------ loading

    private void Load()
    {
        if (_store.Scalar("SELECT id FROM tenants WHERE id=$i", ("$i", FleetDefaults.DefaultTenant)) is null)
        {
            _store.Exec("INSERT INTO tenants(id,name,created_ms) VALUES($i,$n,$t)", ("$i", FleetDefaults.DefaultTenant), ("$n", "Default tenant"), ("$t", NowMs));
        }

        foreach (var t in _store.Query("SELECT id,name,created_ms FROM tenants", r => new Tenant(r.GetString(0), r.GetString(1), r.GetInt64(2))))
        {
            _tenants[t.Id] = t;
        }

        foreach (var s in _store.Query("SELECT name,tenant_id,groups,labels FROM sites", r => new Site
                 {
                     Name = r.GetString(0),
                     TenantId = r.GetString(1),
                     Groups = HubStore.FromJson<List<string>>(r.GetString(2)),
                     Labels = HubStore.FromJson<Dictionary<string, string>>(r.GetString(3)),
                 }))
        {
            _sites[s.Name] = s;
        }

        // Many slots resolve to the same state: share one decoded copy per distinct blob (memory at 100k slots).
        var interned = new Dictionary<string, (DesiredState State, byte[] Bytes)>(StringComparer.Ordinal);
        foreach (var slot in _store.Query(
                     """
                     SELECT s.path, s.site, s.labels, s.in_spec, s.previous_gen, s.latest_gen, s.device_id, g.state
                     FROM slots s LEFT JOIN slot_generations g ON g.slot = s.path AND g.generation = s.current_gen
                     """,
                     r =>
                     {
                         var (state, bytes) = Intern(interned, r.IsDBNull(7) ? HubStore.ToBytes(new DesiredState()) : (byte[])r[7]);
                         return new Slot
                         {
                             Path = r.GetString(0),
                             SiteName = r.GetString(1),
                             Labels = HubStore.FromJson<Dictionary<string, string>>(r.GetString(2)),
                             InSpec = r.GetInt64(3) != 0,
                             PreviousGeneration = (ulong)r.GetInt64(4),
                             LatestGeneration = (ulong)r.GetInt64(5),
                             DeviceId = r.IsDBNull(6) ? null : r.GetString(6),
                             Current = state,
                             CurrentBytes = bytes,
                         };
                     }))
        {
            _slots[slot.Path] = slot;
        }

        var lastSeq = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (id, seq) in _store.Query("SELECT device_id, MAX(seq) FROM device_events GROUP BY device_id", r => (r.GetString(0), (ulong)r.GetInt64(1))))
        {
            lastSeq[id] = seq;
        }

        foreach (var d in _store.Query(
                     """
                     SELECT d.id,d.hardware_id,d.model,d.capacity,d.psk,d.enrollment_id,d.slot,d.created_ms,d.retired,d.retired_ms,
                            d.retired_reason,d.claimed,d.agent_version,d.boot_count,d.registered_ms,
                            h.status,h.status_since_ms,h.last_hb_ms,h.heartbeat,h.report,h.hb_count,d.boot_reason
                     FROM devices d LEFT JOIN device_health h ON h.device_id = d.id
                     """,
                     r => new Device
                     {
                         Id = r.GetString(0),
                         HardwareId = r.GetString(1),
                         Model = r.GetString(2),
                         Capacity = r.IsDBNull(3) ? null : HubStore.FromBytes<Capacity>((byte[])r[3]),
                         Psk = (byte[])r[4],
                         EnrollmentId = r.GetInt64(5),
                         SlotPath = r.IsDBNull(6) ? null : r.GetString(6),
                         CreatedMs = r.GetInt64(7),
                         Retired = r.GetInt64(8) != 0,
                         RetiredMs = r.GetInt64(9),
                         RetiredReason = r.GetString(10),
                         Claimed = r.GetInt64(11) != 0,
                         AgentVersion = r.GetString(12),
                         BootCount = (uint)r.GetInt64(13),
                         RegisteredMs = r.GetInt64(14),
                         Status = r.IsDBNull(15) ? DeviceStatus.Unknown : (DeviceStatus)r.GetInt64(15),
                         StatusSinceMs = r.IsDBNull(16) ? r.GetInt64(7) : r.GetInt64(16),
                         LastHeartbeatMs = r.IsDBNull(17) ? 0 : r.GetInt64(17),
                         LastHeartbeat = r.IsDBNull(18) ? null : HubStore.FromBytes<Heartbeat>((byte[])r[18]),
                         LastReport = r.IsDBNull(19) ? null : HubStore.FromBytes<StatusReport>((byte[])r[19]),
                         HeartbeatCount = r.IsDBNull(20) ? 0 : r.GetInt64(20),
                         BootReason = (BootReason)r.GetInt64(21),
                     }))
        {
            d.Slot = d.SlotPath is not null && _slots.TryGetValue(d.SlotPath, out var slot) ? slot : null;
            d.LastEventSequence = lastSeq.GetValueOrDefault(d.Id);
            _devices[d.Id] = d;
            if (!d.Retired)
            {
                _activeByHardware[d.HardwareId] = d;
            }
        }

        foreach (var e in _store.Query(
                     $"""
                     SELECT id,hardware_id,model,memory_mb,cpu_millis,disk_mb,slot_hint,agent_version,enroll_identity,state,device_id,slot,reason,
                            tenant_id,created_ms,updated_ms,last_seen_ms
                     FROM enrollments WHERE state <> {(int)EnrollmentState.Closed}
                     """,
                     ReadEnrollment))
        {
            _enrollments[e.Id] = e;
            _openEnrollmentByHardware[e.HardwareId] = e;
        }

        LoadCommands();
    }

    private static (DesiredState State, byte[] Bytes) Intern(Dictionary<string, (DesiredState, byte[])> interned, byte[] bytes)
    {
        var key = Convert.ToBase64String(bytes);
        if (!interned.TryGetValue(key, out var entry))
        {
            entry = (HubStore.FromBytes<DesiredState>(bytes), bytes);
            interned[key] = entry;
        }

        return entry;
    }

    // ------------------------------------------------------------------ tenants

    public IReadOnlyList<Tenant> ListTenants(OperatorScope scope)
    {
        lock (_gate)
        {
            return [.. _tenants.Values.Where(t => scope.CanSee(t.Id)).OrderBy(t => t.Id, StringComparer.Ordinal)];
        }
    }

    public Tenant CreateTenant(OperatorScope scope, string id, string name)
    {
        RequireAdmin(scope, "create tenants");
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z0-9][a-z0-9_-]{0,62}$"))
        {
            throw FleetException.Invalid($"tenant id '{id}' is invalid (lower-case letters, digits, '-', '_')");
        }

        lock (_gate)
        {
            if (_tenants.ContainsKey(id))
            {
                throw FleetException.Conflict($"tenant '{id}' already exists");
            }

            var tenant = new Tenant(id, string.IsNullOrWhiteSpace(name) ? id : name, NowMs);
            _store.Exec("INSERT INTO tenants(id,name,created_ms) VALUES($i,$n,$t)", ("$i", tenant.Id), ("$n", tenant.Name), ("$t", tenant.CreatedMs));
            _tenants[id] = tenant;
            return tenant;
        }
    }

    public bool TenantExists(string id)
    {
        lock (_gate)
        {
            return _tenants.ContainsKey(id);
        }
    }

    private static void RequireAdmin(OperatorScope scope, string what)
    {
        if (!scope.IsAdmin)
        {
            throw new FleetException(FleetErrorKind.Forbidden, $"only a fleet-wide admin token may {what}");
        }
    }

    // ------------------------------------------------------------------ sites and slots

    private string? TenantOfSlot(Slot? slot) => slot is not null && _sites.TryGetValue(slot.SiteName, out var site) ? site.TenantId : null;

    private string? TenantOfDevice(Device d) => TenantOfSlot(d.Slot);

    public IReadOnlyList<SiteView> ListSites(OperatorScope scope)
    {
        lock (_gate)
        {
            var slotsBySite = _slots.Values.GroupBy(s => s.SiteName).ToDictionary(g => g.Key, g => g.ToList());
            return
            [
                .. _sites.Values.Where(s => scope.CanSee(s.TenantId)).OrderBy(s => s.Name, StringComparer.Ordinal).Select(s =>
                {
                    var slots = slotsBySite.GetValueOrDefault(s.Name) ?? [];
                    return new SiteView(s.Name, s.TenantId, s.Groups, s.Labels, slots.Count, slots.Count(x => x.DeviceId is not null));
                }),
            ];
        }
    }

    public IReadOnlyList<SlotView> ListSlots(OperatorScope scope, string? site)
    {
        lock (_gate)
        {
            return
            [
                .. _slots.Values
                    .Where(s => scope.CanSee(TenantOfSlot(s)) && (site is null || s.SiteName == site))
                    .OrderBy(s => s.Path, StringComparer.Ordinal)
                    .Select(s => ToView(s, withApps: false)),
            ];
        }
    }

    public SlotView GetSlot(OperatorScope scope, string path)
    {
        lock (_gate)
        {
            return ToView(VisibleSlot(scope, path), withApps: true);
        }
    }

    /// <summary>The desired state of a slot at a given generation (current, previous or older), from the store.</summary>
    public DesiredState? GetSlotGeneration(OperatorScope scope, string path, ulong generation)
    {
        lock (_gate)
        {
            VisibleSlot(scope, path);
        }

        return LoadGeneration(path, generation);
    }

    private DesiredState? LoadGeneration(string path, ulong generation)
    {
        var rows = _store.Query("SELECT state FROM slot_generations WHERE slot=$s AND generation=$g", r => (byte[])r[0], ("$s", path), ("$g", (long)generation));
        return rows.Count == 0 ? null : HubStore.FromBytes<DesiredState>(rows[0]);
    }

    private Slot VisibleSlot(OperatorScope scope, string path) =>
        _slots.TryGetValue(path, out var slot) && scope.CanSee(TenantOfSlot(slot)) ? slot : throw FleetException.NotFound($"slot '{path}'");

    private SlotView ToView(Slot s, bool withApps) =>
        new(s.Path, s.SiteName, TenantOfSlot(s) ?? "", s.Labels, s.InSpec, s.CurrentGeneration, s.PreviousGeneration, s.DeviceId,
            withApps ? s.Current.Apps : null);

    // ------------------------------------------------------------------ desired state (spec)

    /// <summary>
    /// Parses and resolves <paramref name="files"/> and applies them to <paramref name="tenantId"/>'s sites.
    /// Throws <see cref="SpecException"/> (file, line, reason) and changes nothing when the spec is invalid.
    /// Slots whose resolved apps changed get a new generation; the old one becomes their previous generation.
    /// </summary>
    public SpecApplyResult ApplySpec(OperatorScope scope, string? tenantId, IReadOnlyDictionary<string, string> files, string source, SpecStaging? staging = null)
    {
        tenantId ??= scope.TenantId ?? FleetDefaults.DefaultTenant;
        if (!scope.CanSee(tenantId))
        {
            throw FleetException.NotFound($"tenant '{tenantId}'");
        }

        var doc = SpecParser.Parse(files);
        var resolved = SpecResolver.Resolve(doc);
        var now = NowMs;
        lock (_gate)
        {
            if (!_tenants.ContainsKey(tenantId))
            {
                throw FleetException.NotFound($"tenant '{tenantId}'");
            }

            RequireNoActiveRollout(tenantId);
            foreach (var site in doc.Sites)
            {
                if (_sites.TryGetValue(site.Name, out var existing) && existing.TenantId != tenantId)
                {
                    throw site.Source.Error($"site name '{site.Name}' is already used by another tenant");
                }
            }

            var changed = new List<(Slot? Existing, ResolvedSlot Resolved, DesiredState State)>();
            var unchanged = new List<string>();
            foreach (var r in resolved)
            {
                _slots.TryGetValue(r.Path, out var existing);
                var candidate = new DesiredState { Generation = 0, Apps = [.. r.Apps] };
                var sameApps = existing is not null && existing.CurrentGeneration != 0
                    && HubStore.ToBytes(new DesiredState { Apps = existing.Current.Apps }).AsSpan().SequenceEqual(HubStore.ToBytes(candidate));
                if (sameApps)
                {
                    unchanged.Add(r.Path);
                }
                else if (staging is not null && existing is { CurrentGeneration: > 0 })
                {
                    // A rollout: the new generation is stored but not made current; the rollout engine moves slots wave by wave.
                    if (staging.Selector.Matches(r.Path, r.Site, r.Labels))
                    {
                        candidate.Generation = existing.LatestGeneration + 1;
                        staging.Staged.Add(new StagedSlot(r.Path, existing.DeviceId, existing.CurrentGeneration, candidate.Generation,
                            StagedSlot.DiffApps(existing.Current, candidate), candidate));
                    }
                    else
                    {
                        staging.Deferred.Add(r.Path);
                    }
                }
                else
                {
                    candidate.Generation = (existing?.LatestGeneration ?? 0) + 1;
                    changed.Add((existing, r, candidate));
                }
            }

            var resolvedPaths = resolved.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
            var removed = _slots.Values
                .Where(s => s.InSpec && TenantOfSlot(s) == tenantId && !resolvedPaths.Contains(s.Path))
                .Select(s => s.Path).ToList();

            long revision = 0;
            _store.Transaction(tx =>
            {
                tx.Exec("INSERT INTO spec_revisions(tenant_id,files,source,applied_by,applied_ms) VALUES($t,$f,$s,$b,$m)",
                    ("$t", tenantId), ("$f", HubStore.ToJson(files)), ("$s", source), ("$b", scope.Name), ("$m", now));
                revision = (long)tx.Scalar("SELECT last_insert_rowid()")!;
                foreach (var site in doc.Sites)
                {
                    tx.Exec("""
                        INSERT INTO sites(name,tenant_id,groups,labels,created_ms) VALUES($n,$t,$g,$l,$m)
                        ON CONFLICT(name) DO UPDATE SET groups=excluded.groups, labels=excluded.labels
                        """,
                        ("$n", site.Name), ("$t", tenantId), ("$g", HubStore.ToJson(site.Groups.Select(g => g.Group).ToList())),
                        ("$l", HubStore.ToJson(site.Labels)), ("$m", now));
                }

                foreach (var r in resolved)
                {
                    tx.Exec("""
                        INSERT INTO slots(path,site,labels,in_spec) VALUES($p,$s,$l,1)
                        ON CONFLICT(path) DO UPDATE SET labels=excluded.labels, in_spec=1
                        """,
                        ("$p", r.Path), ("$s", r.Site), ("$l", HubStore.ToJson(r.Labels)));
                }

                foreach (var (existing, r, state) in changed)
                {
                    tx.Exec("INSERT INTO slot_generations(slot,generation,state,spec_revision,created_ms) VALUES($s,$g,$b,$r,$m)",
                        ("$s", r.Path), ("$g", (long)state.Generation), ("$b", HubStore.ToBytes(state)), ("$r", revision), ("$m", now));
                    tx.Exec("UPDATE slots SET previous_gen=current_gen, current_gen=$g, latest_gen=$g WHERE path=$s",
                        ("$s", r.Path), ("$g", (long)state.Generation));
                }

                foreach (var path in removed)
                {
                    tx.Exec("UPDATE slots SET in_spec=0 WHERE path=$p", ("$p", path));
                }

                if (staging is not null)
                {
                    foreach (var st in staging.Staged)
                    {
                        tx.Exec("INSERT INTO slot_generations(slot,generation,state,spec_revision,created_ms) VALUES($s,$g,$b,$r,$m)",
                            ("$s", st.Path), ("$g", (long)st.ToGeneration), ("$b", HubStore.ToBytes(st.State)), ("$r", revision), ("$m", now));
                        tx.Exec("UPDATE slots SET latest_gen=$g WHERE path=$s", ("$s", st.Path), ("$g", (long)st.ToGeneration));
                    }

                    staging.Persist(tx, tenantId, revision);
                }
            });

            foreach (var site in doc.Sites)
            {
                if (!_sites.TryGetValue(site.Name, out var s))
                {
                    s = new Site { Name = site.Name, TenantId = tenantId };
                    _sites[site.Name] = s;
                }

                s.Groups = [.. site.Groups.Select(g => g.Group)];
                s.Labels = new Dictionary<string, string>(site.Labels);
            }

            foreach (var r in resolved)
            {
                if (!_slots.TryGetValue(r.Path, out var slot))
                {
                    slot = new Slot { Path = r.Path, SiteName = r.Site };
                    _slots[r.Path] = slot;
                }

                slot.Labels = r.Labels;
                slot.InSpec = true;
            }

            var interned = new Dictionary<string, (DesiredState, byte[])>(StringComparer.Ordinal);
            foreach (var (_, r, state) in changed)
            {
                var slot = _slots[r.Path];
                slot.PreviousGeneration = slot.CurrentGeneration;
                slot.LatestGeneration = state.Generation;
                (slot.Current, slot.CurrentBytes) = Intern(interned, HubStore.ToBytes(state));
            }

            foreach (var path in removed)
            {
                _slots[path].InSpec = false;
            }

            if (staging is not null)
            {
                foreach (var st in staging.Staged)
                {
                    _slots[st.Path].LatestGeneration = st.ToGeneration;
                }

                staging.Committed(tenantId, revision);
            }

            Log.SpecApplied(_log, revision, tenantId, changed.Count, unchanged.Count, source);
            return new SpecApplyResult(revision, tenantId, [.. changed.Select(c => c.Resolved.Path)], unchanged, removed);
        }
    }

    /// <summary>The latest applied spec files of a tenant (empty when none was applied).</summary>
    public (long Revision, IReadOnlyDictionary<string, string> Files, DateTimeOffset? Applied, string Source) CurrentSpec(OperatorScope scope, string? tenantId)
    {
        tenantId ??= scope.TenantId ?? FleetDefaults.DefaultTenant;
        if (!scope.CanSee(tenantId) || !TenantExists(tenantId))
        {
            throw FleetException.NotFound($"tenant '{tenantId}'");
        }

        var rows = _store.Query("SELECT id,files,applied_ms,source FROM spec_revisions WHERE tenant_id=$t ORDER BY id DESC LIMIT 1",
            r => (r.GetInt64(0), HubStore.FromJson<Dictionary<string, string>>(r.GetString(1)), r.GetInt64(2), r.GetString(3)), ("$t", tenantId));
        return rows.Count == 0
            ? (0, new Dictionary<string, string>(), null, "")
            : (rows[0].Item1, rows[0].Item2, Time(rows[0].Item3), rows[0].Item4);
    }

    // ------------------------------------------------------------------ devices (operator view)

    public IReadOnlyList<DeviceView> ListDevices(OperatorScope scope, DeviceFilter filter)
    {
        var result = new List<DeviceView>();
        lock (_gate)
        {
            foreach (var d in _devices.Values)
            {
                if (!scope.CanSee(TenantOfDevice(d)))
                {
                    continue;
                }

                if (d.Retired && !(filter.IncludeRetired || filter.Status == DeviceStatus.Retired))
                {
                    continue;
                }

                if (filter.Status is { } status && d.EffectiveStatus != status)
                {
                    continue;
                }

                if (filter.Site is not null && d.Slot?.SiteName != filter.Site)
                {
                    continue;
                }

                if (filter.Labels is { Count: > 0 } labels && (d.Slot is null || !d.Slot.Matches(labels)))
                {
                    continue;
                }

                result.Add(ToView(d, withApps: false));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Slot ?? "~" + a.Id, b.Slot ?? "~" + b.Id));
        return result;
    }

    public DeviceView GetDevice(OperatorScope scope, string id)
    {
        lock (_gate)
        {
            return ToView(VisibleDevice(scope, id), withApps: true);
        }
    }

    private Device VisibleDevice(OperatorScope scope, string id) =>
        _devices.TryGetValue(id, out var d) && scope.CanSee(TenantOfDevice(d)) ? d : throw FleetException.NotFound($"device '{id}'");

    public FleetSummary Summary(OperatorScope scope, string? site = null)
    {
        int online = 0, degraded = 0, offline = 0, unknown = 0, retired = 0;
        lock (_gate)
        {
            foreach (var d in _devices.Values)
            {
                if (!scope.CanSee(TenantOfDevice(d)) || (site is not null && d.Slot?.SiteName != site))
                {
                    continue;
                }

                switch (d.EffectiveStatus)
                {
                    case DeviceStatus.Online: online++; break;
                    case DeviceStatus.Degraded: degraded++; break;
                    case DeviceStatus.Offline: offline++; break;
                    case DeviceStatus.Unknown: unknown++; break;
                    default: retired++; break;
                }
            }

            var pending = _enrollments.Values.Count(e => e.State == EnrollmentState.Pending && scope.CanSee(e.TenantId));
            var sites = _sites.Values.Count(s => scope.CanSee(s.TenantId) && (site is null || s.Name == site));
            var slots = _slots.Values.Count(s => scope.CanSee(TenantOfSlot(s)) && (site is null || s.SiteName == site));
            return new FleetSummary(online + degraded + offline + unknown, online, degraded, offline, unknown, retired, pending, sites, slots);
        }
    }

    /// <summary>Device counts per (tenant, status) for /metrics, limited to the caller's scope.</summary>
    public IReadOnlyDictionary<(string Tenant, DeviceStatus Status), int> CountByTenantAndStatus(OperatorScope scope)
    {
        var counts = new Dictionary<(string, DeviceStatus), int>();
        lock (_gate)
        {
            foreach (var t in _tenants.Values.Where(t => scope.CanSee(t.Id)))
            {
                foreach (var s in Enum.GetValues<DeviceStatus>())
                {
                    counts[(t.Id, s)] = 0;
                }
            }

            foreach (var d in _devices.Values)
            {
                var tenant = TenantOfDevice(d);
                if (tenant is not null && scope.CanSee(tenant))
                {
                    counts[(tenant, d.EffectiveStatus)] = counts.GetValueOrDefault((tenant, d.EffectiveStatus)) + 1;
                }
            }
        }

        return counts;
    }

    /// <summary>Revokes a device's key by operator decision (stolen or scrapped unit). Frees its slot.</summary>
    public DeviceView RetireDevice(OperatorScope scope, string id, string reason)
    {
        Device d;
        lock (_gate)
        {
            d = VisibleDevice(scope, id);
            if (d.Retired)
            {
                throw FleetException.Conflict($"device '{id}' is already retired");
            }

            var why = string.IsNullOrWhiteSpace(reason) ? $"revoked by {scope.Name}" : reason;
            _store.Transaction(tx => RetireInStore(tx, d, why));
            RetireInMemory(d, why);
        }

        DeviceRetired?.Invoke(d.Id);
        lock (_gate)
        {
            return ToView(d, withApps: false);
        }
    }

    private void RetireInStore(HubStore tx, Device d, string reason)
    {
        tx.Exec("UPDATE devices SET retired=1, retired_ms=$m, retired_reason=$r WHERE id=$i", ("$m", NowMs), ("$r", reason), ("$i", d.Id));
        tx.Exec("UPDATE slots SET device_id=NULL WHERE device_id=$i", ("$i", d.Id));
        tx.Exec($"UPDATE enrollments SET state={(int)EnrollmentState.Closed}, updated_ms=$m WHERE device_id=$i", ("$m", NowMs), ("$i", d.Id));
    }

    private void RetireInMemory(Device d, string reason)
    {
        var now = NowMs;
        lock (d)
        {
            var from = d.Status;
            d.Retired = true;
            d.RetiredMs = now;
            d.RetiredReason = reason;
            _statusChanges.Enqueue(new StatusChange(d.Id, now, from, DeviceStatus.Retired, reason));
            _metrics.StatusChanged();
            d.Outstanding.Clear();
        }

        if (d.Slot is { } slot && slot.DeviceId == d.Id)
        {
            slot.DeviceId = null;
        }

        if (_activeByHardware.TryGetValue(d.HardwareId, out var active) && active == d)
        {
            _activeByHardware.Remove(d.HardwareId);
        }

        if (_enrollments.Remove(d.EnrollmentId, out var e))
        {
            _openEnrollmentByHardware.Remove(e.HardwareId);
        }

        Log.DeviceRetired(_log, d.Id, d.SlotPath ?? "-", reason);
    }

    /// <summary>Caller holds _gate (reads sites and slots).</summary>
    private DeviceView ToView(Device d, bool withApps)
    {
        Heartbeat? hb;
        StatusReport? report;
        DeviceStatus status;
        long since, last, count;
        lock (d)
        {
            hb = d.LastHeartbeat;
            report = d.LastReport;
            status = d.EffectiveStatus;
            since = d.StatusSinceMs;
            last = d.LastHeartbeatMs;
            count = d.HeartbeatCount;
        }

        var slot = d.Slot;
        return new DeviceView(
            d.Id, d.HardwareId, d.Model, d.SlotPath, slot?.SiteName, TenantOfSlot(slot),
            slot?.Labels ?? new Dictionary<string, string>(),
            status.ToString(), TimeOrNull(since), TimeOrNull(last),
            hb?.UptimeSeconds ?? 0, (hb?.State ?? UnitState.Booting).ToString(), (d.BootReason != BootReason.Unknown ? d.BootReason : hb?.BootReason ?? BootReason.Unknown).ToString(),
            (hb?.CpuPermille ?? 0) / 10.0, hb?.MemoryUsedMb ?? 0, hb?.DiskFreeMb ?? 0, hb?.TemperatureC ?? 0,
            hb?.Degraded ?? [], hb?.AppliedGeneration ?? 0, slot?.CurrentGeneration ?? 0, d.AgentVersion, d.BootCount, count,
            d.Retired ? d.RetiredReason : null,
            withApps ? AppsOf(d, slot, hb, report) : null);
    }

    private List<AppView> AppsOf(Device d, Slot? slot, Heartbeat? hb, StatusReport? report)
    {
        // App states in a heartbeat are packed by index into the APPLIED generation's app list.
        var applied = hb is null || slot is null ? null
            : hb.AppliedGeneration == slot.CurrentGeneration ? slot.Current
            : LoadGeneration(slot.Path, hb.AppliedGeneration);
        var desired = slot?.Current.Apps ?? [];
        var names = desired.Select(a => a.Name).Concat(applied?.Apps.Select(a => a.Name) ?? []).Distinct().ToList();
        var result = new List<AppView>();
        foreach (var name in names)
        {
            var spec = desired.FirstOrDefault(a => a.Name == name) ?? applied!.Apps.First(a => a.Name == name);
            var phase = "Unknown";
            uint restarts = 0;
            var index = applied?.Apps.FindIndex(a => a.Name == name) ?? -1;
            if (hb is not null && index >= 0 && index < hb.AppStates.Count)
            {
                phase = AppStateCode.Phase(hb.AppStates[index]).ToString();
                restarts = AppStateCode.Restarts(hb.AppStates[index]);
            }
            else if (desired.Contains(spec) && applied is not null && !applied.Apps.Any(a => a.Name == name))
            {
                phase = "NotApplied";
            }

            var detail = report?.Apps.FirstOrDefault(a => a.Name == name);
            result.Add(new AppView(name, spec.Image, phase, restarts, detail?.LastExitCode, string.IsNullOrEmpty(detail?.Error) ? null : detail.Error,
                string.IsNullOrEmpty(detail?.LogTail) ? null : detail.LogTail));
        }

        return result;
    }

    /// <summary>A device's timeline: agent events and hub status changes, newest first.</summary>
    public IReadOnlyList<DeviceEventView> DeviceEvents(OperatorScope scope, string id, int limit)
    {
        lock (_gate)
        {
            VisibleDevice(scope, id);
        }

        limit = Math.Clamp(limit, 1, 1000);
        var agent = _store.Query("SELECT time_ms,seq,kind,app,detail FROM device_events WHERE device_id=$d ORDER BY seq DESC LIMIT $l",
            r => new DeviceEventView(Time(r.GetInt64(0)), "agent", (ulong)r.GetInt64(1), ((EventKind)r.GetInt64(2)).ToString(), r.GetString(3), r.GetString(4)),
            ("$d", id), ("$l", limit));
        var hub = _store.Query("SELECT time_ms,from_status,to_status,reason FROM status_events WHERE device_id=$d ORDER BY id DESC LIMIT $l",
            r => new DeviceEventView(Time(r.GetInt64(0)), "hub", null, "Status" + (DeviceStatus)r.GetInt64(2),
                "", $"{(DeviceStatus)r.GetInt64(1)} → {(DeviceStatus)r.GetInt64(2)}: {r.GetString(3)}"),
            ("$d", id), ("$l", limit));
        // Status changes not yet flushed are still in the queue: include them so the timeline is current.
        var pending = _statusChanges.Where(c => c.DeviceId == id)
            .Select(c => new DeviceEventView(Time(c.TimeMs), "hub", null, "Status" + c.To, "", $"{c.From} → {c.To}: {c.Reason}"));
        return [.. agent.Concat(hub).Concat(pending).OrderByDescending(e => e.Time).Take(limit)];
    }

    // ------------------------------------------------------------------ device identity (protocol side)

    /// <summary>The device for a PSK identity, or null when unknown.</summary>
    public Device? FindDevice(string identity) => _devices.GetValueOrDefault(identity);

    /// <summary>For the DTLS key store: the device's key, or null when unknown or retired (the handshake then fails).</summary>
    public byte[]? GetDeviceKey(string identity) =>
        _devices.TryGetValue(identity, out var d) && !d.Retired ? (byte[])d.Psk.Clone() : null;

    private string NewDeviceId()
    {
        while (true)
        {
            var id = "d-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            if (!_devices.ContainsKey(id))
            {
                return id;
            }
        }
    }

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}
