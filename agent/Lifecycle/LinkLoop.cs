using EdgeNode.Agent.Diagnostics;
using EdgeNode.Agent.Link;
using EdgeNode.Agent.Platform;
using EdgeNode.Agent.Telemetry;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// The agent's uplink: enroll (first boot, polling while Pending) or register (later boots, with the boot reason);
/// then heartbeat with jitter, fetch the desired state when the ack's generation differs, drain the event journal
/// in order (advancing the persisted cursor to the hub's AckedThrough), send a status report when app states
/// change, and carry out the commands in each ack. Any failure drops the session and reconnects with exponential
/// backoff and full jitter; the apps keep running meanwhile. Ticks its liveness check at least every
/// <see cref="LinkLoopOptions.TickInterval"/> while healthy.
/// </summary>
public sealed partial class LinkLoop
{
    private readonly LinkLoopOptions _options;
    private readonly IHubConnector _connector;
    private readonly AgentStateRepository _state;
    private readonly DesiredStateSync _desired;
    private readonly IEventJournal _journal;
    private readonly IAppSupervisor _supervisor;
    private readonly UnitStatus _status;
    private readonly CommandExecutor _commands;
    private readonly IBootReasonSource _boot;
    private readonly IUnitMetrics _metrics;
    private readonly ILivenessCheck _liveness;
    private readonly FreezeSwitch _freeze;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _heartbeatSequence;
    private string? _lastStatusSent;
    private int _refusals;

    public LinkLoop(
        LinkLoopOptions options,
        IHubConnector connector,
        AgentStateRepository state,
        DesiredStateSync desired,
        IEventJournal journal,
        IAppSupervisor supervisor,
        UnitStatus status,
        CommandExecutor commands,
        IBootReasonSource boot,
        IUnitMetrics metrics,
        ILivenessCheck liveness,
        FreezeSwitch freeze,
        TimeProvider time,
        Random random,
        ILogger<LinkLoop> logger)
    {
        _options = options;
        _connector = connector;
        _state = state;
        _desired = desired;
        _journal = journal;
        _supervisor = supervisor;
        _status = status;
        _commands = commands;
        _boot = boot;
        _metrics = metrics;
        _liveness = liveness;
        _freeze = freeze;
        _time = time;
        _random = random;
        _logger = logger;
        _backoff = new ReconnectBackoff(options.ReconnectInitial, options.ReconnectMax, random);
        _journal.Appended += Wake;
    }

    /// <summary>Delays chosen for reconnects (for tests and logs).</summary>
    public event Action<TimeSpan>? ReconnectScheduled;

    /// <summary>Wakes a waiting session early (events appended, app states changed).</summary>
    public void Wake() => _wake.TrySetResult();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _freeze.WaitWhileFrozenAsync("link", cancellationToken).ConfigureAwait(false);
            _liveness.Tick();
            DeviceIdentity? identity = null;
            try
            {
                identity = _state.LoadIdentity() ?? await EnrollAsync(cancellationToken).ConfigureAwait(false);
                await RunSessionAsync(identity, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HubUnreachableException e)
            {
                _status.SetLink(LinkState.Unreachable, "hub unreachable");
                LogUnreachable(_logger, e.Message);
            }
            catch (HubRequestException e) when (e.IsIdentityRefused)
            {
                _status.SetLink(LinkState.Refused, $"hub refuses this unit's identity: {e.Reason}");
                LogRefused(_logger, e.Message);
                if (identity is not null && ++_refusals >= _options.RefusalsBeforeReenroll)
                {
                    SetIdentityAside(identity, e.Reason);
                }
            }
            catch (Exception e) when (e is HubRequestException or InvalidDataException)
            {
                _status.SetLink(LinkState.Unreachable, "hub error");
                LogHubError(_logger, e.Message);
            }
            catch (IOException e)
            {
                // Storage (identity, desired state, journal cursor) failed: the unit needs attention, the apps keep running.
                _status.SetFault($"storage error: {e.Message}");
                LogStorageError(_logger, e.Message);
            }

            var delay = _backoff.Next();
            ReconnectScheduled?.Invoke(delay);
            LogReconnectIn(_logger, delay.TotalSeconds, _backoff.Attempt);
            await WaitAsync(delay, wakeable: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The hub keeps refusing the stored identity (swapped out, retired, or unknown to a hub restored from an older
    /// backup): keep it aside and enroll again as a new unit; the LEDs then show "awaiting enrollment" and an operator
    /// can approve the unit from the hub. The apps keep running the last applied desired state meanwhile.
    /// </summary>
    private void SetIdentityAside(DeviceIdentity identity, string reason)
    {
        try
        {
            _state.SetIdentityAside(identity);
        }
        catch (IOException e)
        {
            _status.SetFault($"storage error: {e.Message}");
            LogStorageError(_logger, e.Message);
            return;
        }

        _refusals = 0;
        _backoff.Reset();
        _journal.Append(EventKind.Custom, "", $"identity {identity.DeviceId} refused {_options.RefusalsBeforeReenroll} times ({reason}); enrolling again as a new unit", critical: true);
        LogReenrolling(_logger, identity.DeviceId, _options.RefusalsBeforeReenroll, reason);
    }

    private async Task<DeviceIdentity> EnrollAsync(CancellationToken ct)
    {
        LogEnrolling(_logger, _options.Enrollment.Identity, _options.HardwareId);
        await using var session = await _connector.ConnectAsync(_options.Enrollment, ct).ConfigureAwait(false);
        var client = new HubClient(session, _options.PlainCoap ? _options.Enrollment.Identity : null);
        var request = new EnrollRequest
        {
            HardwareId = _options.HardwareId,
            Model = _options.Model,
            Capacity = _options.Capacity,
            SlotHint = _options.SlotHint,
            EnrollmentToken = _options.EnrollmentToken,
            AgentVersion = _options.AgentVersion,
        };

        while (true)
        {
            await _freeze.WaitWhileFrozenAsync("link", ct).ConfigureAwait(false);
            _liveness.Tick();
            var response = await RequestAsync(t => client.EnrollAsync(request, t), ct).ConfigureAwait(false);
            _backoff.Reset();
            switch (response.Status)
            {
                case EnrollStatus.Approved:
                    if (response.DeviceId.Length == 0 || (response.Psk.Length == 0 && !_options.PlainCoap))
                    {
                        throw new InvalidDataException("enrollment approved without a device id or key");
                    }

                    var identity = new DeviceIdentity(response.DeviceId, response.Psk, response.Slot);
                    _state.SaveIdentity(identity);
                    _journal.Append(EventKind.Custom, "", $"enrolled as {identity.DeviceId} in slot {identity.Slot}", critical: true);
                    LogEnrolled(_logger, identity.DeviceId, identity.Slot);
                    return identity;

                case EnrollStatus.Pending:
                    _status.SetLink(LinkState.AwaitingEnrollment, $"hardware id {_options.HardwareId}");
                    var poll = response.RetryAfterSeconds == 0 ? _options.EnrollPollDefault : TimeSpan.FromSeconds(Math.Min(response.RetryAfterSeconds, 300));
                    LogPending(_logger, _options.HardwareId, poll.TotalSeconds);
                    await WaitAsync(Jitter(poll, 0.2), wakeable: false, ct).ConfigureAwait(false);
                    break;

                default:
                    _status.SetLink(LinkState.Refused, $"enrollment rejected: {response.Reason}");
                    LogRejected(_logger, _options.HardwareId, response.Reason);
                    await WaitAsync(Jitter(_options.RejectedRetry, 0.2), wakeable: false, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task RunSessionAsync(DeviceIdentity identity, CancellationToken ct)
    {
        await using var session = await _connector.ConnectAsync(new HubCredentials(identity.DeviceId, identity.Psk), ct).ConfigureAwait(false);
        var client = new HubClient(session, _options.PlainCoap ? identity.DeviceId : null);
        var registration = await RequestAsync(t => client.RegisterAsync(new RegisterRequest
        {
            BootReason = _boot.Reason,
            BootCount = _boot.BootCount,
            AgentVersion = _options.AgentVersion,
            AppliedGeneration = _desired.AppliedGeneration,
            Capacity = _options.Capacity,
            HardwareId = _options.HardwareId,
            Model = _options.Model,
        }, t), ct).ConfigureAwait(false);

        _backoff.Reset();
        _refusals = 0;
        _lastStatusSent = null;
        _status.SetFault(null);
        _status.SetLink(LinkState.Connected, session.Remote);
        LogRegistered(_logger, identity.DeviceId, session.Remote, _boot.Reason, registration.DesiredGeneration);
        AcknowledgeEvents(registration.EventsAckedThrough);

        var interval = registration.HeartbeatIntervalSeconds > 0 ? TimeSpan.FromSeconds(registration.HeartbeatIntervalSeconds) : _options.HeartbeatInterval;
        if (registration.DesiredGeneration != 0 && registration.DesiredGeneration != _desired.AppliedGeneration)
        {
            await FetchDesiredStateAsync(client, ct).ConfigureAwait(false);
        }

        var nextHeartbeat = _time.GetUtcNow();
        while (true)
        {
            await _freeze.WaitWhileFrozenAsync("link", ct).ConfigureAwait(false);
            _liveness.Tick();
            await DrainEventsAsync(client, ct).ConfigureAwait(false);
            await ReportStatusIfChangedAsync(client, ct).ConfigureAwait(false);

            if (_time.GetUtcNow() >= nextHeartbeat)
            {
                var ack = await RequestAsync(t => client.HeartbeatAsync(BuildHeartbeat(), t), ct).ConfigureAwait(false);
                _liveness.Tick();
                if (ack.HeartbeatIntervalSeconds > 0)
                {
                    interval = TimeSpan.FromSeconds(ack.HeartbeatIntervalSeconds);
                }

                AcknowledgeEvents(ack.EventsAckedThrough);
                if (ack.DesiredGeneration != 0 && ack.DesiredGeneration != _desired.AppliedGeneration)
                {
                    await FetchDesiredStateAsync(client, ct).ConfigureAwait(false);
                }

                foreach (var command in ack.Commands)
                {
                    var result = await _commands.ExecuteAsync(command, ct).ConfigureAwait(false);
                    await RequestAsync(async t => { await client.PostCommandResultAsync(result, t).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
                }

                nextHeartbeat = _time.GetUtcNow() + Jitter(interval, _options.HeartbeatJitter);
                continue; // drain what the commands and the new state produced before waiting
            }

            await WaitAsync(nextHeartbeat - _time.GetUtcNow(), wakeable: true, ct).ConfigureAwait(false);
        }
    }

    private async Task FetchDesiredStateAsync(HubClient client, CancellationToken ct)
    {
        var (state, raw) = await RequestAsync(t => client.GetDesiredStateAsync(t), ct).ConfigureAwait(false);
        _liveness.Tick();
        if (state.Generation == _desired.AppliedGeneration)
        {
            return;
        }

        await _desired.AcceptAsync(state, raw, ct).ConfigureAwait(false);
    }

    private async Task DrainEventsAsync(HubClient client, CancellationToken ct)
    {
        while (true)
        {
            var pending = _journal.ReadUnacknowledged(_options.MaxEventsPerBatch);
            if (pending.Count == 0)
            {
                return;
            }

            var batch = new EventBatch();
            foreach (var e in pending)
            {
                batch.Events.Add(e);
                if (batch.Events.Count > 1 && Wire.Encode(batch).Length > _options.MaxBatchBytes)
                {
                    batch.Events.RemoveAt(batch.Events.Count - 1);
                    break;
                }
            }

            var before = _journal.AckedThrough;
            var ack = await RequestAsync(t => client.PostEventsAsync(batch, t), ct).ConfigureAwait(false);
            _liveness.Tick();
            AcknowledgeEvents(ack.AckedThrough);
            if (_journal.AckedThrough <= before)
            {
                LogEventsNotAcknowledged(_logger, batch.Events[0].Sequence, ack.AckedThrough);
                return; // the hub did not take them; try again with the next heartbeat rather than spin
            }
        }
    }

    private void AcknowledgeEvents(ulong ackedThrough)
    {
        var through = Math.Min(ackedThrough, _journal.LastSequence);
        if (through > _journal.AckedThrough)
        {
            _journal.Acknowledge(through);
        }
    }

    private async Task ReportStatusIfChangedAsync(HubClient client, CancellationToken ct)
    {
        var snapshot = _supervisor.Snapshot();
        var fingerprint = Fingerprint(snapshot, _desired.AppliedGeneration, _status.State);
        if (fingerprint == _lastStatusSent)
        {
            return;
        }

        var report = new StatusReport
        {
            AppliedGeneration = _desired.AppliedGeneration,
            State = _status.State,
            TimeUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        report.Apps.AddRange(snapshot.Apps);
        report.Degraded.AddRange(snapshot.DegradedReasons);
        await RequestAsync(async t => { await client.PostStatusAsync(report, t).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
        _lastStatusSent = fingerprint;
    }

    internal static string Fingerprint(SupervisorStatus snapshot, ulong generation, UnitState state)
    {
        var text = new System.Text.StringBuilder();
        text.Append(generation).Append('|').Append((int)state);
        foreach (var app in snapshot.Apps)
        {
            text.Append('|').Append(app.Name).Append(':').Append((int)app.Phase).Append(':').Append(app.Restarts)
                .Append(':').Append(app.LastExitCode).Append(':').Append(app.ContainerId).Append(':').Append(app.Error);
        }

        foreach (var reason in snapshot.DegradedReasons)
        {
            text.Append("|d:").Append(reason);
        }

        return text.ToString();
    }

    internal Heartbeat BuildHeartbeat()
    {
        var sample = _metrics.Sample();
        var snapshot = _supervisor.Snapshot();
        var heartbeat = new Heartbeat
        {
            Sequence = ++_heartbeatSequence,
            UptimeSeconds = sample.UptimeSeconds,
            State = _status.State,
            BootReason = _boot.Reason,
            CpuPermille = sample.CpuPermille,
            MemoryUsedMb = sample.MemoryUsedMb,
            DiskFreeMb = sample.DiskFreeMb,
            TemperatureC = sample.TemperatureC,
            AppliedGeneration = _desired.AppliedGeneration,
            LastEventSequence = _journal.LastSequence,
        };
        heartbeat.Degraded.AddRange(_status.DegradedReasons);

        // App states by index into the applied desired state's app list.
        if (_desired.Current is { } desired)
        {
            foreach (var app in desired.Apps)
            {
                var report = snapshot.Apps.FirstOrDefault(r => r.Name == app.Name);
                heartbeat.AppStates.Add(report is null ? AppStateCode.Pack(AppPhase.Unknown, 0) : AppStateCode.Pack(report.Phase, report.Restarts));
            }
        }

        return heartbeat;
    }

    /// <summary>One request under the per-request timeout; a timeout is "unreachable", the caller's cancellation is not.</summary>
    private async Task<T> RequestAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await request(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new HubUnreachableException($"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s", e);
        }
    }

    private TimeSpan Jitter(TimeSpan value, double fraction)
    {
        var factor = 1 + fraction * (2 * _random.NextDouble() - 1);
        return TimeSpan.FromTicks((long)(value.Ticks * factor));
    }

    /// <summary>Waits <paramref name="delay"/>, ticking the liveness check at least every TickInterval;
    /// a wakeable wait returns early on <see cref="Wake"/>.</summary>
    private async Task WaitAsync(TimeSpan delay, bool wakeable, CancellationToken ct)
    {
        var until = _time.GetUtcNow() + delay;
        while (true)
        {
            _liveness.Tick();
            var remaining = until - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            var slice = remaining < _options.TickInterval ? remaining : _options.TickInterval;
            if (!wakeable)
            {
                await Task.Delay(slice, _time, ct).ConfigureAwait(false);
                continue;
            }

            var wake = _wake;
            if (wake.Task.IsCompleted)
            {
                _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return;
            }

            using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delayTask = Task.Delay(slice, _time, cancelDelay.Token);
            var first = await Task.WhenAny(delayTask, wake.Task).ConfigureAwait(false);
            if (first == wake.Task)
            {
                cancelDelay.Cancel();
                _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return;
            }

            await delayTask.ConfigureAwait(false); // throws when ct was cancelled
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "enrolling with fleet identity {Identity} (hardware id {HardwareId})")]
    private static partial void LogEnrolling(ILogger logger, string identity, string hardwareId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "enrollment of hardware id {HardwareId} is pending operator approval; asking again in {Seconds:0.#} s")]
    private static partial void LogPending(ILogger logger, string hardwareId, double seconds);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "enrolled as device {DeviceId} in slot {Slot}; identity stored")]
    private static partial void LogEnrolled(ILogger logger, string deviceId, string slot);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "enrollment of hardware id {HardwareId} rejected by the hub: {Reason}")]
    private static partial void LogRejected(ILogger logger, string hardwareId, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "registered as {DeviceId} with hub {Hub} (boot reason {BootReason}, hub generation {Generation})")]
    private static partial void LogRegistered(ILogger logger, string deviceId, string hub, BootReason bootReason, ulong generation);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "hub unreachable, apps keep running: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "hub refuses this unit: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "identity {DeviceId} refused {Times} times in a row ({Reason}); set aside, enrolling again as a new unit")]
    private static partial void LogReenrolling(ILogger logger, string deviceId, int times, string reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "hub error, reconnecting: {Reason}")]
    private static partial void LogHubError(ILogger logger, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "reconnecting in {Seconds:0.###} s (attempt {Attempt}, full jitter)")]
    private static partial void LogReconnectIn(ILogger logger, double seconds, int attempt);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "storage error in the link loop, retrying with backoff: {Reason}")]
    private static partial void LogStorageError(ILogger logger, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "hub did not acknowledge events from sequence {First} (acked through {Acked}); retrying later")]
    private static partial void LogEventsNotAcknowledged(ILogger logger, ulong first, ulong acked);
}
