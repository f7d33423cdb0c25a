using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Power;

/// <summary>
/// What happens when supply power fails. The agent registers, in order, what must be saved
/// (<see cref="OnPowerFail"/>: flush the journal, write the state, show the LED pattern); <see cref="Trip"/> runs
/// them once and then stops all writing: <see cref="Storage.Journal"/> and <see cref="Storage.DurableStore"/>
/// constructed with this guard refuse further writes with <see cref="WritesSuspendedException"/>, so nothing is
/// half-written when the hold-up capacitors run dry.
/// </summary>
public sealed partial class PowerFailGuard
{
    private readonly object _gate = new();
    private readonly List<(string Name, Action Action)> _actions = [];
    private readonly List<(string Name, Action Action)> _restoreActions = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _state; // 0 armed, 1 flushing, 2 writes stopped

    /// <summary>Creates an armed guard.</summary>
    public PowerFailGuard(TimeProvider? time = null, ILogger<PowerFailGuard>? logger = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>True once <see cref="Trip"/> has finished its actions: writes are refused from then on.</summary>
    public bool WritesStopped => Volatile.Read(ref _state) == 2;

    /// <summary>True once <see cref="Trip"/> has been called.</summary>
    public bool IsTripped => Volatile.Read(ref _state) != 0;

    /// <summary>When it tripped, or null.</summary>
    public DateTimeOffset? TrippedAt { get; private set; }

    /// <summary>The last trip's report, or null.</summary>
    public PowerFailReport? LastReport { get; private set; }

    /// <summary>Adds an action to run on power fail, after the ones already added.</summary>
    public void OnPowerFail(string name, Action action)
    {
        lock (_gate) _actions.Add((name, action));
    }

    /// <summary>Adds an action to run when power comes back after a trip (a brownout the hold-up capacitors rode
    /// out), e.g. show the unit's state on the LEDs again.</summary>
    public void OnPowerRestored(string name, Action action)
    {
        lock (_gate) _restoreActions.Add((name, action));
    }

    /// <summary>Power is good again (the unit did not go down): writes are allowed again and the restore actions
    /// run. Does nothing unless tripped.</summary>
    public void Rearm(string reason)
    {
        lock (_gate)
        {
            if (_state != 2) return;
            Volatile.Write(ref _state, 0);
            TrippedAt = null;
            Log.Rearmed(_logger, reason);
            foreach (var (name, action) in _restoreActions)
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    Log.ActionFailed(_logger, name, e.Message);
                }
            }
        }
    }

    /// <summary>Runs every registered action once (each isolated: a failing one is logged and the rest still run),
    /// then stops writes. Later calls (until <see cref="Rearm"/>) return the same report.</summary>
    public PowerFailReport Trip(string reason)
    {
        lock (_gate)
        {
            if (_state != 0) return LastReport!;
            _state = 1;
            TrippedAt = _time.GetUtcNow();
            Log.Tripped(_logger, reason);
            long start = Stopwatch.GetTimestamp();
            var steps = new List<PowerFailStep>();
            foreach (var (name, action) in _actions)
            {
                long s = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    error = e.Message;
                    Log.ActionFailed(_logger, name, e.Message);
                }
                steps.Add(new PowerFailStep(name, Stopwatch.GetElapsedTime(s), error));
            }
            Volatile.Write(ref _state, 2);
            var report = new PowerFailReport(reason, Stopwatch.GetElapsedTime(start), steps);
            LastReport = report;
            Log.Done(_logger, report.Elapsed.TotalMilliseconds, steps.Count(s => s.Error is null), steps.Count);
            return report;
        }
    }

    /// <summary>Throws <see cref="WritesSuspendedException"/> naming <paramref name="resource"/> once writes are
    /// stopped.</summary>
    public void ThrowIfWritesStopped(string resource)
    {
        if (WritesStopped)
            throw new WritesSuspendedException(resource, TrippedAt);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 160, Level = LogLevel.Critical, Message = "Power failing ({Reason}): flushing state and stopping writes")]
        public static partial void Tripped(ILogger logger, string reason);

        [LoggerMessage(EventId = 161, Level = LogLevel.Error, Message = "Power-fail action '{Action}' failed: {Reason}")]
        public static partial void ActionFailed(ILogger logger, string action, string reason);

        [LoggerMessage(EventId = 164, Level = LogLevel.Warning, Message = "Power is good again ({Reason}): writes resume")]
        public static partial void Rearmed(ILogger logger, string reason);

        [LoggerMessage(EventId = 162, Level = LogLevel.Critical, Message = "Power-fail handling done in {Milliseconds:F1} ms ({Ok}/{Total} actions ok); writes are stopped")]
        public static partial void Done(ILogger logger, double milliseconds, int ok, int total);
    }
}
