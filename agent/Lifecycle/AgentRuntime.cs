using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// Boots and stops the agent: records the boot, applies the persisted desired state before the hub is contacted,
/// starts the link, supervisor and LED loops, then says READY=1. On stop: STOPPING=1, the loops end, the clean-stop
/// marker is written. Unit-state changes go to the journal (hub reachable/unreachable, degraded/recovered), the log
/// and systemd's STATUS= line.
/// </summary>
public sealed partial class AgentRuntime
{
    private readonly UnitStatus _status;
    private readonly DesiredStateSync _desired;
    private readonly IEventJournal _journal;
    private readonly IAppSupervisor _supervisor;
    private readonly IBootReasonSource _boot;
    private readonly IServiceNotifier _notifier;
    private readonly LinkLoop _link;
    private readonly SupervisorLoop _supervisorLoop;
    private readonly LedLoop _leds;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private UnitState _lastJournaled = UnitState.Booting;

    public AgentRuntime(
        UnitStatus status,
        DesiredStateSync desired,
        IEventJournal journal,
        IAppSupervisor supervisor,
        IBootReasonSource boot,
        IServiceNotifier notifier,
        LinkLoop link,
        SupervisorLoop supervisorLoop,
        LedLoop leds,
        ILogger<AgentRuntime> logger)
    {
        _status = status;
        _desired = desired;
        _journal = journal;
        _supervisor = supervisor;
        _boot = boot;
        _notifier = notifier;
        _link = link;
        _supervisorLoop = supervisorLoop;
        _leds = leds;
        _logger = logger;
    }

    /// <summary>Completes when every loop has started and READY=1 was sent.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _status.Changed += OnStateChanged;
        _supervisor.AppEvent += OnAppEvent;
        _journal.Append(EventKind.Boot, "", $"boot #{_boot.BootCount}, reason {_boot.Reason}", critical: true);
        LogBoot(_logger, _boot.Reason, _boot.BootCount);

        await _desired.ApplyPersistedAsync(cancellationToken).ConfigureAwait(false);
        _leds.Step(); // LEDs show "booting" before anything slow happens

        var stop = _stop.Token;
        _loops.Add(Task.Run(() => _supervisorLoop.RunAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => _leds.RunAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => _link.RunAsync(stop), CancellationToken.None));

        _notifier.Ready(_status.Describe());
        LogReady(_logger, _desired.AppliedGeneration);
    }

    /// <summary>Completes when a loop ends unexpectedly (it should not): the host then stops with an error.</summary>
    public Task Completion => _loops.Count == 0 ? Task.CompletedTask : Task.WhenAny(_loops).Unwrap();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _notifier.Stopping("stopping");
        LogStopping(_logger);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
            LogSlowStop(_logger);
        }

        _status.Changed -= OnStateChanged;
        _supervisor.AppEvent -= OnAppEvent;
        _boot.MarkCleanStop();
    }

    private void OnAppEvent(EventKind kind, string app, string detail) =>
        _journal.Append(kind, app, detail, critical: kind is EventKind.AppFailed);

    private void OnStateChanged(UnitState before, UnitState after)
    {
        var line = _status.Describe();
        _notifier.Status(line);
        LogState(_logger, after, line);
        if (after == _lastJournaled)
        {
            return;
        }

        var previous = _lastJournaled;
        _lastJournaled = after;
        switch (after)
        {
            case UnitState.HubUnreachable:
                _journal.Append(EventKind.HubUnreachable, "", line);
                break;
            case UnitState.Degraded:
                _journal.Append(EventKind.Degraded, "", string.Join(",", _status.DegradedReasons));
                break;
            case UnitState.Online when previous is UnitState.HubUnreachable:
                _journal.Append(EventKind.HubReachable, "", line);
                break;
            case UnitState.Online when previous is UnitState.Degraded:
                _journal.Append(EventKind.Recovered, "", line);
                break;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "edgenode agent booting: boot reason {Reason}, boot #{Count}")]
    private static partial void LogBoot(ILogger logger, BootReason reason, uint count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "ready: loops running, applied generation {Generation}")]
    private static partial void LogReady(ILogger logger, ulong generation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "unit state {State}: {Line}")]
    private static partial void LogState(ILogger logger, UnitState state, string line);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "loops did not stop within 10 s")]
    private static partial void LogSlowStop(ILogger logger);
}
