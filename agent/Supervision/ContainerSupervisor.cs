using System.Collections.Immutable;
using System.Threading.Channels;
using EdgeNode.Agent.Supervision.Capacity;
using EdgeNode.Agent.Supervision.Commands;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Healing;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Agent.Supervision;

/// <summary>
/// Keeps the containers of a desired state running on the Docker Engine.
/// <list type="bullet">
/// <item><see cref="ApplyAsync"/> hands it a new desired state (validated; a rejected one leaves the old in force).</item>
/// <item><see cref="RunAsync"/> is its loop: reconcile on engine events (die, oom, health_status), on backoff deadlines and
/// every <see cref="SupervisorOptions.ResyncPeriod"/>; it calls the liveness tick at least every
/// <see cref="SupervisorOptions.TickInterval"/>. An unavailable engine never ends the loop: it reports
/// <c>engine-unavailable</c> and re-lists when the engine answers again.</item>
/// <item><see cref="Snapshot"/> is the last view (apps and degraded reasons); <see cref="Events"/> carries journal events.</item>
/// <item><see cref="ExecuteActionAsync"/> serves the hub's start / stop / restart / logs commands.</item>
/// </list>
/// Containers are created with Docker restart policy "no": the supervisor implements the spec's restart policy, so crash
/// backoff and crash-loop accounting are its own. Adopts running containers whose spec hash matches after a restart.
/// </summary>
public sealed class ContainerSupervisor : IDisposable
{
    private static readonly TimeSpan EventReplay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(5);

    private readonly SupervisorOptions _options;
    private readonly IContainerEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CapacityMonitor _capacity;
    private readonly PlanRunner _runner;
    private readonly CommandContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<SupervisorEvent> _events = Channel.CreateBounded<SupervisorEvent>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Dictionary<string, AppRuntimeState> _runtime = new(StringComparer.Ordinal);
    private ImmutableArray<DesiredApp> _desired = [];
    private volatile bool _hasDesired;
    private ulong _generation;
    private volatile SupervisorSnapshot _snapshot = SupervisorSnapshot.Empty;
    private bool _engineAvailable = true;
    private DateTimeOffset? _planWakeAt;
    private ImmutableArray<string> _reasons = [];
    private readonly bool _ownsEngine;

    /// <summary>The production constructor: Docker at <see cref="SupervisorOptions.DockerEndpoint"/>, /proc for memory.</summary>
    public ContainerSupervisor(SupervisorOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
        : this(options, new DockerEngine(Validated(options)), new ProcMemoryProbe(), loggerFactory?.CreateLogger<ContainerSupervisor>(), time, ownsEngine: true)
    {
    }

    internal ContainerSupervisor(SupervisorOptions options, IContainerEngine engine, IMemoryProbe memory, ILogger? logger, TimeProvider? time, bool ownsEngine = false)
    {
        SupervisorOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _engine = engine;
        _ownsEngine = ownsEngine;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _capacity = new CapacityMonitor(options, _time, memory);
        _runner = new PlanRunner(_time, options.CommandRetryBase, options.CommandRetryCap, _logger);
        _context = new CommandContext(engine, new ImageCache(options.ImageCacheDirectory), options, _logger);
    }

    /// <summary>The last reconciled view; never null (empty before the first reconcile).</summary>
    public SupervisorSnapshot Snapshot => _snapshot;

    /// <summary>
    /// Journal events in order. Each is written before the snapshot that shows its effect is published. Bounded (4096,
    /// oldest dropped when nobody reads).
    /// </summary>
    public ChannelReader<SupervisorEvent> Events => _events.Reader;

    /// <summary>The options in force.</summary>
    public SupervisorOptions Options => _options;

    /// <summary>
    /// Accepts a new desired state and wakes the loop. Throws <see cref="InvalidDesiredStateException"/> naming every
    /// problem when the state is malformed; the previous state then stays in force.
    /// </summary>
    public async Task ApplyAsync(DesiredState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = DesiredStateValidator.Validate(state);
        if (problems.Count > 0) throw new InvalidDesiredStateException(problems);
        var desired = state.Apps.Select(DesiredApp.From).ToImmutableArray();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _desired = desired;
            _generation = state.Generation;
            _hasDesired = true;
            var names = desired.ToDictionary(d => d.Name, d => d.Hash, StringComparer.Ordinal);
            foreach (var name in _runtime.Keys.ToList())
                if (!names.TryGetValue(name, out var hash) || hash != _runtime[name].SpecHash)
                    _runtime.Remove(name);
        }
        finally
        {
            _gate.Release();
        }
        SupervisorLog.DesiredStateApplied(_logger, _options.Scope, state.Generation, desired.Length);
        Wake();
    }

    /// <summary>Changes the memory/CPU budget at run time (0 = whole host). Shrinking applies at once, growth after the hysteresis.</summary>
    public void SetCapacityBudget(ulong memoryBytes, uint cpuMillis)
    {
        _capacity.SetBudget(memoryBytes, cpuMillis);
        Wake();
    }

    /// <summary>
    /// The supervisor loop; returns when <paramref name="cancellationToken"/> is cancelled. <paramref name="onTick"/> is
    /// called every iteration, at least every <see cref="SupervisorOptions.TickInterval"/>, so a watchdog can see it is alive.
    /// Nothing is reconciled before the first <see cref="ApplyAsync"/> (so running apps are never removed while the
    /// agent is still loading its persisted desired state); an applied empty state does remove every app.
    /// </summary>
    public async Task RunAsync(Action? onTick, CancellationToken cancellationToken)
    {
        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = Task.Run(() => WatchLoopAsync(watchStop.Token), CancellationToken.None);
        var nextResync = _time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                onTick?.Invoke();
                var signalled = _wake.Reader.TryRead(out _);
                var now = _time.GetUtcNow();
                var due = Earliest(_planWakeAt, _runner.NextRetryAt, _capacity.NextChangeAt);
                // Until a desired state arrives nothing is planned: an empty plan would remove the running apps that a
                // restarted agent is about to adopt.
                if (_hasDesired && (signalled || now >= nextResync || due <= now))
                {
                    try
                    {
                        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                        nextResync = _time.GetUtcNow() + _options.ResyncPeriod;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (EngineUnavailableException e)
                    {
                        MarkEngineUnavailable(e.Message);
                        nextResync = _time.GetUtcNow() + _options.EngineRetryInterval;
                    }
                    catch (Exception e)
                    {
                        SupervisorLog.ReconcileFailed(_logger, _options.Scope, e.Message, e);
                        nextResync = _time.GetUtcNow() + _options.EngineRetryInterval;
                    }
                    due = Earliest(_planWakeAt, _runner.NextRetryAt, _capacity.NextChangeAt);
                }
                var delay = _hasDesired ? Earliest(nextResync, due) - _time.GetUtcNow() : _options.TickInterval;
                if (delay > _options.TickInterval) delay = _options.TickInterval;
                if (delay < MinimumPause) delay = MinimumPause; // never spin, whatever the deadlines say
                await WaitForSignalAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await watchStop.CancelAsync().ConfigureAwait(false);
            try { await watcher.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// A hub command on one app: <see cref="CommandKind.AppStart"/> (also clears Failed), <see cref="CommandKind.AppStop"/>
    /// (sticky until started), <see cref="CommandKind.AppRestart"/>, <see cref="CommandKind.AppLogs"/> (last
    /// <paramref name="tailLines"/> lines in <see cref="ActionResult.Output"/>). Never throws for engine trouble: the
    /// result says what went wrong.
    /// </summary>
    public async Task<ActionResult> ExecuteActionAsync(CommandKind kind, string app, uint tailLines, CancellationToken cancellationToken = default)
    {
        var desired = _desired.FirstOrDefault(d => d.Name == app);
        if (desired is null) return new ActionResult(false, $"app '{app}' is not in the desired state");
        try
        {
            switch (kind)
            {
                case CommandKind.AppStop:
                    await UpdateStateAsync(desired, s => Reset(s) with { OperatorStopped = true }, cancellationToken).ConfigureAwait(false);
                    await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                    return Result(app, AppPhase.Stopped, "stopped");
                case CommandKind.AppStart:
                    await UpdateStateAsync(desired, s => Reset(s) with { OperatorStopped = false }, cancellationToken).ConfigureAwait(false);
                    await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                    return Result(app, AppPhase.Running, "started");
                case CommandKind.AppRestart:
                    await UpdateStateAsync(desired, s => Reset(s) with { OperatorStopped = false, ExpectedStop = true }, cancellationToken).ConfigureAwait(false);
                    if (_snapshot.App(app)?.ContainerId is { Length: > 0 } id)
                        await new StopContainerCommand(app, id, "restart requested by operator").ExecuteAsync(_context, cancellationToken).ConfigureAwait(false);
                    await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                    Publish(EventKind.AppRestarted, app, "restarted by operator");
                    return Result(app, AppPhase.Running, "restarted");
                case CommandKind.AppLogs:
                    var container = _snapshot.App(app)?.ContainerId;
                    if (string.IsNullOrEmpty(container)) return new ActionResult(false, $"app '{app}' has no container");
                    var lines = (int)Math.Clamp(tailLines == 0 ? 100u : tailLines, 1u, 10_000u);
                    var logs = await _engine.LogsTailAsync(container, lines, cancellationToken).ConfigureAwait(false);
                    return new ActionResult(true, $"last {lines} log lines of app '{app}'", logs);
                default:
                    return new ActionResult(false, $"{kind} is not a container action");
            }
        }
        catch (EngineException e)
        {
            if (e is EngineUnavailableException) MarkEngineUnavailable(e.Message);
            return new ActionResult(false, $"{kind} of app '{app}' failed: {e.Message}");
        }
    }

    /// <summary>One reconcile pass now (list, observe, plan, run), repeated while a step changed what the planner sees.</summary>
    internal async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        const int passes = 3;
        for (var pass = 1; pass <= passes; pass++)
            if (!await ReconcileOnceAsync(lastPass: pass == passes, cancellationToken).ConfigureAwait(false)) return;
    }

    private async Task<bool> ReconcileOnceAsync(bool lastPass, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await _engine.ListManagedAsync(_options.Scope, cancellationToken).ConfigureAwait(false);
            var images = await _engine.ListImageTagsAsync(cancellationToken).ConfigureAwait(false);
            if (!_engineAvailable)
            {
                _engineAvailable = true;
                SupervisorLog.EngineBack(_logger, _options.Scope);
            }
            var now = _time.GetUtcNow();
            await ObserveAsync(current, now, cancellationToken).ConfigureAwait(false);

            ulong runningMemory = 0;
            foreach (var d in _desired)
                if (current.Any(c => c.App == d.Name && c.SpecHash == d.Hash && c.IsRunning))
                    runningMemory += Planner.MemoryNeed(d.Spec);
            var capacity = _capacity.Evaluate(runningMemory);

            var plan = Planner.Plan(new PlannerInput(_options.Scope, _desired, current, capacity, _runtime, images, now));
            _planWakeAt = plan.WakeAt;
            if (!plan.IsEmpty) SupervisorLog.PlanComputed(_logger, _options.Scope, plan.Show());
            var outcomes = await _runner.RunAsync(plan, _context, cancellationToken).ConfigureAwait(false);
            var replan = Absorb(outcomes);
            // A pass that changed what the engine shows (a create, an image) is followed by another; only the final
            // pass publishes, so the snapshot never shows a new app without its container id.
            if (!replan || lastPass) Publish(plan, outcomes, current);
            return replan;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Accounts exits and unhealthy runs the supervisor did not cause (crash accounting, events, log tail on failure).</summary>
    private async Task ObserveAsync(IReadOnlyList<ContainerInfo> current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var app in _desired)
        {
            var c = current.Where(x => x.App == app.Name && x.SpecHash == app.Hash).OrderByDescending(x => x.IsRunning).FirstOrDefault();
            if (c is null) continue;
            var state = StateOf(app);
            string? what = null;
            if (c.Status == ContainerStatus.Exited && c.ExitKey != state.LastExitKey)
            {
                var ours = state.ExpectedStop || state.OperatorStopped || state.Failed;
                state = state with { LastExitKey = c.ExitKey, LastExitCode = c.ExitCode };
                if (!ours) what = $"exited with code {c.ExitCode}{(c.OomKilled ? " (OOM killed)" : "")}";
                if (c.OomKilled && !ours) _capacity.ReportOom();
            }
            else if (c.IsRunning && c.Health == ContainerHealth.Unhealthy && c.RunKey != state.LastUnhealthyKey && !state.ExpectedStop)
            {
                state = state with { LastUnhealthyKey = c.RunKey };
                what = "reported unhealthy";
            }
            if (what is not null)
            {
                var wasFailed = state.Failed;
                state = CrashLoopPolicy.RecordFailure(state, c.Status == ContainerStatus.Exited ? c.ExitCode : null, now, _options);
                Publish(EventKind.AppExited, app.Name, what);
                SupervisorLog.AppCrashed(_logger, _options.Scope, app.Name, what, state.Failures.Length,
                    state.Failed ? "never (crash loop)" : state.NextRestartAt is { } at && at > now ? $"in {at - now}" : "now");
                if (state.Failed && !wasFailed)
                {
                    var tail = "";
                    try { tail = await _engine.LogsTailAsync(c.Id, _options.LogTailLines, cancellationToken).ConfigureAwait(false); }
                    catch (EngineException e) when (e is not EngineUnavailableException) { tail = "(log tail unavailable: " + e.Message + ")"; }
                    state = state with { LogTail = tail };
                    SupervisorLog.AppFailed(_logger, _options.Scope, app.Name, state.LastExitCode ?? 0);
                }
            }
            _runtime[app.Name] = state;
        }
    }

    /// <summary>Folds command outcomes into the runtime state. True when the planner should look again at once.</summary>
    private bool Absorb(IReadOnlyList<CommandOutcome> outcomes)
    {
        var replan = false;
        foreach (var o in outcomes)
        {
            var app = _desired.FirstOrDefault(d => d.Name == o.Command.App);
            if (app is null) continue;
            var state = StateOf(app);
            switch (o.Command, o.Kind)
            {
                case (StopContainerCommand, CommandOutcomeKind.Succeeded):
                    state = state with { ExpectedStop = true };
                    break;
                case (StartContainerCommand start, CommandOutcomeKind.Succeeded):
                    state = state with { ExpectedStop = false, Restarts = state.Restarts + (start.AfterFailure ? 1u : 0u) };
                    Publish(start.AfterFailure ? EventKind.AppRestarted : EventKind.AppStarted, app.Name,
                        start.AfterFailure ? $"restart {state.Restarts} after exit code {state.LastExitCode}" : "started");
                    SupervisorLog.AppStarted(_logger, _options.Scope, app.Name, start.AfterFailure ? $"restarted (restart {state.Restarts})" : "started");
                    break;
                case (CreateContainerCommand, CommandOutcomeKind.Succeeded):
                    replan = true; // re-list so the snapshot carries the new container's id
                    break;
                case (EnsureImageCommand, CommandOutcomeKind.Succeeded):
                    replan |= state.ImageError is not null;
                    state = state with { ImageError = null };
                    break;
                case (EnsureImageCommand, CommandOutcomeKind.Failed) when o.Error is ImageNotFoundException:
                    replan |= state.ImageError is null;
                    state = state with { ImageError = o.Error.Message };
                    break;
                case (CreateContainerCommand, CommandOutcomeKind.Failed) when o.Error is ImageNotFoundException:
                    replan |= state.ImageError is null;
                    state = state with { ImageError = o.Error.Message };
                    break;
            }
            _runtime[app.Name] = state;
        }
        return replan;
    }

    private void Publish(Plan plan, IReadOnlyList<CommandOutcome> outcomes, IReadOnlyList<ContainerInfo> current)
    {
        var previous = _snapshot;
        var apps = new List<AppStatus>(plan.Apps.Length);
        foreach (var decision in plan.Apps)
        {
            var desired = _desired.First(d => d.Name == decision.App);
            var state = StateOf(desired);
            var mine = outcomes.Where(o => o.Command.App == decision.App).ToList();
            var error = mine.FirstOrDefault(o => o.Kind == CommandOutcomeKind.Failed)?.Error?.Message ?? "";
            var phase = decision.Phase;
            if (phase == AppPhase.Starting)
            {
                if (mine.Count > 0 && mine.All(o => o.Kind == CommandOutcomeKind.Succeeded)) phase = AppPhase.Running;
                else if (mine.Any(o => o.Kind != CommandOutcomeKind.Succeeded)) phase = AppPhase.Pending;
            }
            if (phase == AppPhase.ImageMissing && error.Length == 0) error = state.ImageError ?? "";
            var containerId = current.FirstOrDefault(c => c.App == decision.App && c.SpecHash == desired.Hash)?.Id ?? decision.ContainerId ?? "";
            apps.Add(new AppStatus(decision.App, desired.Spec.Image, decision.Priority, phase, state.Restarts, state.LastExitCode ?? 0,
                containerId, phase == AppPhase.Failed ? state.LogTail : "", error, decision.Detail));

            var before = previous.App(decision.App)?.Phase;
            if (phase == AppPhase.Failed && before != AppPhase.Failed)
                Publish(EventKind.AppFailed, decision.App, $"crash loop after {state.Restarts} restarts, last exit code {state.LastExitCode}");
            if (phase == AppPhase.Shed && before != AppPhase.Shed)
            {
                Publish(EventKind.AppShed, decision.App, decision.Detail);
                SupervisorLog.AppShed(_logger, _options.Scope, decision.App, decision.Detail);
            }
        }
        // Events go out before the snapshot that shows their effect.
        _reasons = plan.DegradedReasons;
        PublishReasons(previous.Degraded, _reasons);
        _snapshot = new SupervisorSnapshot(apps, _reasons, _generation, true, _time.GetUtcNow());
    }

    private void MarkEngineUnavailable(string reason)
    {
        var previous = _snapshot;
        if (_engineAvailable) SupervisorLog.EngineUnavailable(_logger, _options.Scope, reason);
        _engineAvailable = false;
        var reasons = _reasons.Add("engine-unavailable").Distinct().Order(StringComparer.Ordinal).ToImmutableArray();
        PublishReasons(previous.Degraded, reasons);
        _snapshot = previous with { Degraded = reasons, EngineAvailable = false, Time = _time.GetUtcNow() };
    }

    private void PublishReasons(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        if (before.SequenceEqual(after)) return;
        if (after.Count == 0)
        {
            Publish(EventKind.Recovered, "", "");
            SupervisorLog.Recovered(_logger, _options.Scope);
        }
        else
        {
            var joined = string.Join(",", after);
            Publish(EventKind.Degraded, "", joined);
            SupervisorLog.Degraded(_logger, _options.Scope, joined);
        }
    }

    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Events from a little before (re)subscribing are replayed, and a re-list follows, so nothing falls in
                // between; with --live-restore, containers that died while the engine was down only show in the re-list.
                var since = _time.GetUtcNow() - EventReplay;
                Wake();
                await _engine.WatchAsync(_options.Scope, since, OnEngineEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                SupervisorLog.WatchEnded(_logger, _options.Scope, e.Message);
            }
            Wake();
            try { await Task.Delay(_options.EngineRetryInterval, _time, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void OnEngineEvent(EngineEvent e)
    {
        switch (e.Kind)
        {
            case EngineEventKind.Oom:
                _capacity.ReportOom();
                Wake();
                break;
            case EngineEventKind.Die or EngineEventKind.Unhealthy or EngineEventKind.Destroy:
                Wake();
                break;
        }
    }

    private async Task WaitForSignalAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(delay, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _wake.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private void Publish(EventKind kind, string app, string detail) =>
        _events.Writer.TryWrite(new SupervisorEvent(_time.GetUtcNow(), kind, app, detail));

    private async Task UpdateStateAsync(DesiredApp app, Func<AppRuntimeState, AppRuntimeState> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _runtime[app.Name] = change(StateOf(app));
            _runner.Forget(app.Name);
        }
        finally
        {
            _gate.Release();
        }
    }

    private ActionResult Result(string app, AppPhase wanted, string verb)
    {
        var status = _snapshot.App(app);
        return status?.Phase == wanted
            ? new ActionResult(true, $"app '{app}' {verb}")
            : new ActionResult(false, $"app '{app}' is {status?.Phase.ToString() ?? "unknown"}: {(status?.Error is { Length: > 0 } e ? e : status?.Detail)}");
    }

    private static AppRuntimeState Reset(AppRuntimeState s) =>
        s with { Failed = false, Failures = [], NextRestartAt = null, LogTail = "", ImageError = null };

    private AppRuntimeState StateOf(DesiredApp app) =>
        _runtime.TryGetValue(app.Name, out var s) && s.SpecHash == app.Hash ? s : AppRuntimeState.Fresh(app.Hash);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } x && x < a ? x : a;

    private static DateTimeOffset? Earliest(params DateTimeOffset?[] values)
    {
        DateTimeOffset? min = null;
        foreach (var v in values)
            if (v is { } x && (min is null || x < min)) min = x;
        return min;
    }

    private static SupervisorOptions Validated(SupervisorOptions options)
    {
        SupervisorOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    public void Dispose()
    {
        if (_ownsEngine) _engine.Dispose();
        _gate.Dispose();
    }
}
