using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Specs;
using EdgeNode.Hub.Store;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Rollouts;

/// <summary>
/// Staged rollouts: a TimeProvider-driven state machine, advanced by <see cref="Tick"/> (the hub's timer, or a test).
/// Creating one applies the spec with the selected slots' new generations STAGED, then moves wave 0 to them. Each tick
/// checks the soaking wave's health gate (<see cref="RolloutGate"/>); after the soak the next wave moves. A failed gate
/// halts the rollout and (by default) moves every updated slot back to its previous generation. Every transition is
/// written to SQLite at once, and the engine reloads its rollouts at start, so a hub restart resumes where it was.
/// </summary>
public sealed partial class RolloutEngine
{
    private readonly object _gate = new();
    private readonly FleetRegistry _fleet;
    private readonly HubStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<long, Rollout> _rollouts = [];

    public RolloutEngine(FleetRegistry fleet, TimeProvider time, ILogger<RolloutEngine> logger)
    {
        _fleet = fleet;
        _store = fleet.Store;
        _time = time;
        _log = logger;
        FleetOperationsSchema.Upgrade(_store);
        Load();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // ------------------------------------------------------------------ operator actions

    public RolloutView Create(OperatorScope scope, RolloutRequest request)
    {
        var files = request.Files is { Count: > 0 } f ? f
            : request.FromSpecDirectory ? SpecParser.ReadDirectory(_fleet.Options.SpecDirectory ?? throw FleetException.Invalid("the hub has no --spec-dir configured"))
            : throw FleetException.Invalid("a rollout needs files: {path: yaml} (or fromSpecDirectory: true)");
        if (request.SoakSeconds is < 0 or > 7 * 24 * 3600 || double.IsNaN(request.SoakSeconds))
        {
            throw FleetException.Invalid($"soakSeconds {request.SoakSeconds} is out of range (0 .. 604800)");
        }

        RolloutPlanner.Plan([], request.Waves); // validates the wave sizes before anything is written
        var selector = request.Selector ?? RolloutSelector.All;
        var source = request.Source ?? (request.Files is null ? "dir:" + _fleet.Options.SpecDirectory : "api");
        lock (_gate)
        {
            Rollout? created = null;
            SpecStaging staging = null!;
            staging = new SpecStaging(
                selector,
                (tx, tenant, revision) =>
                {
                    if (staging.Staged.Count == 0)
                    {
                        throw FleetException.Invalid("the spec changes no selected slot that is already running a generation: nothing to roll out"
                            + (staging.Deferred.Count > 0 ? $" ({staging.Deferred.Count} changed slot(s) are outside the selector)" : ""));
                    }

                    var ordered = staging.Staged.OrderBy(s => s.DeviceId is null).ThenBy(s => s.Path, StringComparer.Ordinal).ToList();
                    var (sizes, waves) = RolloutPlanner.Plan([.. ordered.Select(s => s.Path)], request.Waves);
                    var byPath = ordered.ToDictionary(s => s.Path, StringComparer.Ordinal);
                    var now = NowMs;
                    var r = new Rollout
                    {
                        TenantId = tenant,
                        SpecRevision = revision,
                        State = RolloutState.Running,
                        Sizes = sizes,
                        Selector = selector,
                        SoakSeconds = request.SoakSeconds,
                        AutoRollback = request.AutoRollback,
                        CreatedBy = scope.Name,
                        CreatedMs = now,
                        UpdatedMs = now,
                        Slots =
                        [
                            .. waves.SelectMany((paths, wave) => paths.Select(p => new RolloutSlot
                            {
                                Path = p, Wave = wave, DeviceId = byPath[p].DeviceId, FromGeneration = byPath[p].FromGeneration,
                                ToGeneration = byPath[p].ToGeneration, ChangedApps = byPath[p].ChangedApps, State = RolloutSlotState.Pending,
                            })),
                        ],
                    };
                    Insert(tx, r);
                    created = r;
                },
                (tenant, _) => _fleet.SetActiveRollout(tenant, created!.Id));
            _fleet.ApplySpec(scope, request.Tenant, files, source, staging);
            var rollout = created!;
            _rollouts[rollout.Id] = rollout;
            Log.Created(_log, rollout.Id, rollout.TenantId, rollout.Slots.Count, rollout.Sizes.Count, scope.Name);
            StartWave(rollout, 0);
            return View(rollout, withSlots: true);
        }
    }

    public IReadOnlyList<RolloutView> List(OperatorScope scope, RolloutState? state = null)
    {
        lock (_gate)
        {
            return
            [
                .. _rollouts.Values.Where(r => scope.CanSee(r.TenantId) && (state is null || r.State == state))
                    .OrderByDescending(r => r.Id).Select(r => View(r, withSlots: false)),
            ];
        }
    }

    public RolloutView Get(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            return View(Visible(scope, id), withSlots: true);
        }
    }

    public RolloutView Pause(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            var r = Visible(scope, id);
            Require(r, "pause", RolloutState.Running);
            r.State = RolloutState.Paused;
            r.PausedMs = NowMs;
            Save(r);
            Log.StateChanged(_log, r.Id, r.State, scope.Name);
            return View(r, withSlots: true);
        }
    }

    public RolloutView Resume(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            var r = Visible(scope, id);
            Require(r, "resume", RolloutState.Paused);
            r.State = RolloutState.Running;
            r.WaveStartedMs += NowMs - r.PausedMs; // the paused time does not count as soak
            r.PausedMs = 0;
            Save(r);
            Log.StateChanged(_log, r.Id, r.State, scope.Name);
            return View(r, withSlots: true);
        }
    }

    public RolloutView Abort(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            var r = Visible(scope, id);
            Require(r, "abort", RolloutState.Running, RolloutState.Paused, RolloutState.Halted);
            r.State = RolloutState.Aborted;
            Save(r);
            _fleet.SetActiveRollout(r.TenantId, null);
            Log.StateChanged(_log, r.Id, r.State, scope.Name);
            return View(r, withSlots: true);
        }
    }

    public RolloutView Rollback(OperatorScope scope, long id)
    {
        lock (_gate)
        {
            var r = Visible(scope, id);
            Require(r, "roll back", RolloutState.Running, RolloutState.Paused, RolloutState.Halted, RolloutState.Completed, RolloutState.Aborted);
            foreach (var s in r.Slots.Where(Updated))
            {
                var current = _fleet.CurrentGenerationOf(s.Path);
                if (current != s.ToGeneration)
                {
                    throw FleetException.Conflict($"slot '{s.Path}' has moved on to generation {current} since this rollout (which set {s.ToGeneration}); it cannot be rolled back by it");
                }
            }

            RollBackSlots(r, $"rolled back by {scope.Name}");
            Log.StateChanged(_log, r.Id, r.State, scope.Name);
            return View(r, withSlots: true);
        }
    }

    private Rollout Visible(OperatorScope scope, long id) =>
        _rollouts.TryGetValue(id, out var r) && scope.CanSee(r.TenantId) ? r : throw FleetException.NotFound($"rollout {id}");

    private static void Require(Rollout r, string action, params RolloutState[] allowed)
    {
        if (!allowed.Contains(r.State))
        {
            throw FleetException.Conflict($"rollout {r.Id} is {r.State}: cannot {action} it (allowed when {string.Join(" or ", allowed)})");
        }
    }

    private static bool Updated(RolloutSlot s) => s.State is RolloutSlotState.Updating or RolloutSlotState.Passed or RolloutSlotState.Failed;

    // ------------------------------------------------------------------ the state machine

    /// <summary>Advances every running rollout: gate checks, end of soak, next wave, halt and rollback. Returns how many rollouts changed state or wave.</summary>
    public int Tick()
    {
        var changed = 0;
        lock (_gate)
        {
            foreach (var r in _rollouts.Values.Where(r => r.State is RolloutState.Running or RolloutState.Paused).ToList())
            {
                try
                {
                    changed += Step(r) ? 1 : 0;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Log.StepFailed(_log, r.Id, e);
                }
            }
        }

        return changed;
    }

    private bool Step(Rollout r)
    {
        var wave = r.Wave(r.CurrentWave).Where(s => s.State == RolloutSlotState.Updating).ToList();
        var baselines = wave.Select(s => string.Join(",", s.Baseline.Select(b => b.Key + b.Value))).ToList();

        // Fail fast, also while paused: a crash-looping canary halts the rollout now, not at the end of the soak.
        foreach (var s in wave)
        {
            var (verdict, reason) = RolloutGate.Check(s, _fleet.GetSlotHealth(s.Path), final: false);
            if (verdict == RolloutGate.Verdict.Fail)
            {
                Halt(r, s, reason);
                return true;
            }
        }

        var soakEnds = r.WaveStartedMs + (long)(r.SoakSeconds * 1000);
        if (r.State == RolloutState.Paused || NowMs < soakEnds)
        {
            if (!wave.Select(s => string.Join(",", s.Baseline.Select(b => b.Key + b.Value))).SequenceEqual(baselines))
            {
                Save(r); // lower restart baselines seen: keep them across a restart
            }

            return false;
        }

        foreach (var s in wave)
        {
            var (verdict, reason) = RolloutGate.Check(s, _fleet.GetSlotHealth(s.Path), final: true);
            if (verdict != RolloutGate.Verdict.Pass)
            {
                Halt(r, s, reason);
                return true;
            }

            s.State = RolloutSlotState.Passed;
            s.Detail = reason;
        }

        Log.WavePassed(_log, r.Id, r.CurrentWave + 1, r.Sizes.Count);
        if (r.CurrentWave + 1 < r.Sizes.Count)
        {
            StartWave(r, r.CurrentWave + 1);
        }
        else
        {
            r.State = RolloutState.Completed;
            Save(r);
            _fleet.SetActiveRollout(r.TenantId, null);
            Log.StateChanged(_log, r.Id, r.State, "the last gate");
        }

        return true;
    }

    private void StartWave(Rollout r, int index)
    {
        r.CurrentWave = index;
        r.WaveStartedMs = NowMs;
        var moves = new List<(string, ulong, ulong)>();
        foreach (var s in r.Wave(index))
        {
            var health = _fleet.GetSlotHealth(s.Path);
            s.DeviceId = health?.DeviceId;
            s.Baseline = s.ChangedApps.Where(a => health?.Apps.ContainsKey(a) == true)
                .ToDictionary(a => a, a => health!.Apps[a].Restarts, StringComparer.Ordinal);
            s.State = RolloutSlotState.Updating;
            s.Detail = $"moved to generation {s.ToGeneration}";
            moves.Add((s.Path, s.ToGeneration, s.FromGeneration));
        }

        r.UpdatedMs = NowMs;
        _fleet.MoveSlots(moves, tx => Write(tx, r));
        Log.WaveStarted(_log, r.Id, index + 1, r.Sizes.Count, moves.Count);
    }

    private void Halt(Rollout r, RolloutSlot failed, string reason)
    {
        failed.State = RolloutSlotState.Failed;
        failed.Detail = reason;
        r.HaltReason = $"wave {r.CurrentWave + 1} ({r.Sizes[r.CurrentWave]}): slot {failed.Path}: {reason}";
        Log.Halted(_log, r.Id, r.HaltReason, r.AutoRollback);
        if (r.AutoRollback)
        {
            RollBackSlots(r, "rolled back: " + r.HaltReason);
        }
        else
        {
            r.State = RolloutState.Halted;
            Save(r);
        }
    }

    private void RollBackSlots(Rollout r, string why)
    {
        var moves = new List<(string, ulong, ulong)>();
        foreach (var s in r.Slots.Where(Updated))
        {
            moves.Add((s.Path, s.FromGeneration, s.ToGeneration));
            s.State = RolloutSlotState.RolledBack;
            s.Detail = s.Detail.Length > 0 && s.Detail != $"moved to generation {s.ToGeneration}" ? s.Detail + "; back to generation " + s.FromGeneration : "back to generation " + s.FromGeneration;
        }

        r.State = RolloutState.RolledBack;
        r.UpdatedMs = NowMs;
        _fleet.MoveSlots(moves, tx => Write(tx, r));
        _fleet.SetActiveRollout(r.TenantId, null);
        Log.RolledBack(_log, r.Id, moves.Count, why);
    }

    // ------------------------------------------------------------------ store

    private void Save(Rollout r)
    {
        r.UpdatedMs = NowMs;
        _store.Transaction(tx => Write(tx, r));
    }

    private static void Insert(HubStore tx, Rollout r)
    {
        tx.Exec("""
            INSERT INTO rollouts(tenant_id,spec_revision,state,waves,selector,soak_s,current_wave,auto_rollback,wave_started_ms,paused_ms,halt_reason,created_by,created_ms,updated_ms)
            VALUES($t,$rev,$st,$w,$sel,$soak,0,$ar,0,0,'',$by,$c,$c)
            """,
            ("$t", r.TenantId), ("$rev", r.SpecRevision), ("$st", r.State.ToString()), ("$w", HubStore.ToJson(r.Sizes)), ("$sel", HubStore.ToJson(r.Selector)),
            ("$soak", r.SoakSeconds), ("$ar", r.AutoRollback ? 1 : 0), ("$by", r.CreatedBy), ("$c", r.CreatedMs));
        r.Id = (long)tx.Scalar("SELECT last_insert_rowid()")!;
        foreach (var s in r.Slots)
        {
            tx.Exec("""
                INSERT INTO rollout_slots(rollout_id,slot,wave,from_gen,to_gen,state,apps,baseline,device_id,detail,updated_ms)
                VALUES($r,$s,$w,$f,$t,$st,$a,'{}',$d,'',$m)
                """,
                ("$r", r.Id), ("$s", s.Path), ("$w", s.Wave), ("$f", (long)s.FromGeneration), ("$t", (long)s.ToGeneration), ("$st", s.State.ToString()),
                ("$a", HubStore.ToJson(s.ChangedApps)), ("$d", s.DeviceId), ("$m", r.CreatedMs));
        }
    }

    private static void Write(HubStore tx, Rollout r)
    {
        tx.Exec("""
            UPDATE rollouts SET state=$st, current_wave=$cw, wave_started_ms=$ws, paused_ms=$pm, halt_reason=$hr, updated_ms=$u WHERE id=$id
            """,
            ("$id", r.Id), ("$st", r.State.ToString()), ("$cw", r.CurrentWave), ("$ws", r.WaveStartedMs), ("$pm", r.PausedMs), ("$hr", r.HaltReason), ("$u", r.UpdatedMs));
        foreach (var s in r.Slots.Where(s => s.State != RolloutSlotState.Pending))
        {
            tx.Exec("UPDATE rollout_slots SET state=$st, baseline=$b, device_id=$d, detail=$x, updated_ms=$u WHERE rollout_id=$r AND slot=$s",
                ("$r", r.Id), ("$s", s.Path), ("$st", s.State.ToString()), ("$b", HubStore.ToJson(s.Baseline)), ("$d", s.DeviceId), ("$x", s.Detail), ("$u", r.UpdatedMs));
        }
    }

    private void Load()
    {
        var slots = _store.Query("SELECT rollout_id,slot,wave,from_gen,to_gen,state,apps,baseline,device_id,detail FROM rollout_slots ORDER BY rollout_id, wave, slot",
                r => (Id: r.GetInt64(0), Slot: new RolloutSlot
                {
                    Path = r.GetString(1),
                    Wave = r.GetInt32(2),
                    FromGeneration = (ulong)r.GetInt64(3),
                    ToGeneration = (ulong)r.GetInt64(4),
                    State = Enum.Parse<RolloutSlotState>(r.GetString(5)),
                    ChangedApps = HubStore.FromJson<List<string>>(r.GetString(6)),
                    Baseline = new Dictionary<string, uint>(HubStore.FromJson<Dictionary<string, uint>>(r.GetString(7)), StringComparer.Ordinal),
                    DeviceId = r.IsDBNull(8) ? null : r.GetString(8),
                    Detail = r.GetString(9),
                }))
            .ToLookup(x => x.Id, x => x.Slot);
        foreach (var r in _store.Query(
                     "SELECT id,tenant_id,spec_revision,state,waves,selector,soak_s,current_wave,auto_rollback,wave_started_ms,paused_ms,halt_reason,created_by,created_ms,updated_ms FROM rollouts",
                     row => new Rollout
                     {
                         Id = row.GetInt64(0),
                         TenantId = row.GetString(1),
                         SpecRevision = row.GetInt64(2),
                         State = Enum.Parse<RolloutState>(row.GetString(3)),
                         Sizes = HubStore.FromJson<List<string>>(row.GetString(4)),
                         Selector = HubStore.FromJson<RolloutSelector>(row.GetString(5)),
                         SoakSeconds = row.GetDouble(6),
                         CurrentWave = row.GetInt32(7),
                         AutoRollback = row.GetInt64(8) != 0,
                         WaveStartedMs = row.GetInt64(9),
                         PausedMs = row.GetInt64(10),
                         HaltReason = row.GetString(11),
                         CreatedBy = row.GetString(12),
                         CreatedMs = row.GetInt64(13),
                         UpdatedMs = row.GetInt64(14),
                         Slots = [],
                     }))
        {
            r.Slots.AddRange(slots[r.Id]);
            _rollouts[r.Id] = r;
            if (r.IsActive)
            {
                _fleet.SetActiveRollout(r.TenantId, r.Id);
            }
        }
    }

    // ------------------------------------------------------------------ views

    private static RolloutView View(Rollout r, bool withSlots)
    {
        var waves = new List<RolloutWaveView>();
        for (var i = 0; i < r.Sizes.Count; i++)
        {
            var slots = r.Wave(i).ToList();
            int Count(RolloutSlotState s) => slots.Count(x => x.State == s);
            var (pending, updating, passed, failed, back) = (Count(RolloutSlotState.Pending), Count(RolloutSlotState.Updating), Count(RolloutSlotState.Passed),
                Count(RolloutSlotState.Failed), Count(RolloutSlotState.RolledBack));
            var state = failed > 0 ? "Failed"
                : updating > 0 ? (r.State == RolloutState.Running ? "Soaking" : r.State.ToString())
                : back == slots.Count ? "RolledBack"
                : passed == slots.Count ? "Passed"
                : pending == slots.Count ? (r.IsActive ? "Pending" : "Skipped")
                : "Partial";
            var current = i == r.CurrentWave && updating > 0;
            waves.Add(new RolloutWaveView(i + 1, r.Sizes[i], state, slots.Count, updating, passed, failed, back,
                current ? DateTimeOffset.FromUnixTimeMilliseconds(r.WaveStartedMs) : null,
                current ? DateTimeOffset.FromUnixTimeMilliseconds(r.WaveStartedMs + (long)(r.SoakSeconds * 1000)) : null));
        }

        return new RolloutView(r.Id, r.TenantId, r.SpecRevision, r.State, r.CurrentWave + 1, r.Sizes.Count, r.SoakSeconds, r.AutoRollback, r.Selector,
            r.HaltReason, r.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedMs), waves,
            withSlots
                ? [.. r.Slots.Select(s => new RolloutSlotView(s.Path, s.Wave + 1, s.DeviceId, s.FromGeneration, s.ToGeneration, s.ChangedApps, s.State, s.Detail))]
                : null);
    }

    /// <summary>Rollout counts per (tenant, state) for /metrics, limited to the caller's scope.</summary>
    public IReadOnlyDictionary<(string Tenant, RolloutState State), int> CountByTenantAndState(OperatorScope scope)
    {
        lock (_gate)
        {
            return _rollouts.Values.Where(r => scope.CanSee(r.TenantId)).GroupBy(r => (r.TenantId, r.State)).ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>Rollouts that a health gate halted (for the rollout-halted alert): id, tenant, reason.</summary>
    public IReadOnlyList<(long Id, string Tenant, string Reason)> HaltedByGate()
    {
        lock (_gate)
        {
            return [.. _rollouts.Values.Where(r => r.HaltReason.Length > 0).Select(r => (r.Id, r.TenantId, r.HaltReason))];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Rollout {Id} of tenant {Tenant} created by {By}: {Slots} slot(s) in {Waves} wave(s)")]
        public static partial void Created(ILogger logger, long id, string tenant, int slots, int waves, string by);

        [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Rollout {Id}: wave {Wave}/{Waves} started, {Slots} slot(s) moved to the new generation")]
        public static partial void WaveStarted(ILogger logger, long id, int wave, int waves, int slots);

        [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Rollout {Id}: wave {Wave}/{Waves} passed its health gate")]
        public static partial void WavePassed(ILogger logger, long id, int wave, int waves);

        [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Rollout {Id} HALTED: {Reason} (auto-rollback {AutoRollback})")]
        public static partial void Halted(ILogger logger, long id, string reason, bool autoRollback);

        [LoggerMessage(EventId = 804, Level = LogLevel.Warning, Message = "Rollout {Id}: {Slots} slot(s) moved back to their previous generation ({Why})")]
        public static partial void RolledBack(ILogger logger, long id, int slots, string why);

        [LoggerMessage(EventId = 805, Level = LogLevel.Information, Message = "Rollout {Id} is now {State} ({By})")]
        public static partial void StateChanged(ILogger logger, long id, RolloutState state, string by);

        [LoggerMessage(EventId = 806, Level = LogLevel.Error, Message = "Rollout {Id}: a step failed; it is retried at the next tick")]
        public static partial void StepFailed(ILogger logger, long id, Exception exception);
    }
}
