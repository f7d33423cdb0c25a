using Microsoft.Extensions.Logging;

namespace EdgeNode.Hal.Liveness;

/// <summary>
/// The set of loops that must keep ticking for the unit to be considered alive. The watchdog feeder asks
/// <see cref="Evaluate"/> before every feed: while any check has not ticked within its deadline, neither the hardware
/// watchdog nor systemd's watchdog is fed, so a stuck loop ends in a restart (systemd) or a reset (hardware).
/// </summary>
/// <example><code>
/// var link = registry.Register("link-loop", TimeSpan.FromSeconds(30));
/// while (...) { await DoOneRound(); link.Tick(); }
/// </code></example>
public sealed partial class LivenessRegistry
{
    private readonly object _gate = new();
    private readonly List<LivenessHandle> _checks = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a registry that reads the time from <paramref name="time"/>.</summary>
    public LivenessRegistry(TimeProvider time, ILogger<LivenessRegistry>? logger = null)
    {
        _time = time;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    internal TimeProvider Time => _time;

    /// <summary>Registers a check. It counts as fresh from now until <paramref name="deadline"/> passes without a
    /// <see cref="LivenessHandle.Tick"/>. Names must be unique while registered.</summary>
    public LivenessHandle Register(string name, TimeSpan deadline)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (deadline <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(deadline), deadline, $"liveness check '{name}': the deadline must be positive");
        lock (_gate)
        {
            if (_checks.Exists(c => c.Name == name))
                throw new InvalidOperationException($"liveness check '{name}' is already registered");
            var handle = new LivenessHandle(this, name, deadline, _time.GetTimestamp());
            _checks.Add(handle);
            return handle;
        }
    }

    internal void Unregister(LivenessHandle handle)
    {
        lock (_gate) _checks.Remove(handle);
    }

    /// <summary>The names of the registered checks.</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (_gate) return _checks.ConvertAll(c => c.Name); }
    }

    /// <summary>Checks every registered loop now. A check that starves is logged once per starvation (with how long
    /// it has been silent); its recovery is logged too.</summary>
    public LivenessStatus Evaluate()
    {
        long now = _time.GetTimestamp();
        List<StarvedCheck>? starved = null;
        lock (_gate)
        {
            foreach (var check in _checks)
            {
                TimeSpan silent = _time.GetElapsedTime(check.LastTickTimestamp, now);
                if (silent > check.Deadline)
                {
                    (starved ??= []).Add(new StarvedCheck(check.Name, silent, check.Deadline));
                    if (!check.StarvationReported)
                    {
                        check.StarvationReported = true;
                        Log.CheckStarved(_logger, check.Name, silent.TotalSeconds, check.Deadline.TotalSeconds);
                    }
                }
                else if (check.StarvationReported)
                {
                    check.StarvationReported = false;
                    Log.CheckRecovered(_logger, check.Name);
                }
            }
        }
        return starved is null ? LivenessStatus.Healthy : new LivenessStatus(starved);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Error,
            Message = "Liveness check '{Check}' has not ticked for {SilentSeconds:F1} s (deadline {DeadlineSeconds:F1} s): the watchdogs are no longer fed and the unit will be restarted or reset")]
        public static partial void CheckStarved(ILogger logger, string check, double silentSeconds, double deadlineSeconds);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
            Message = "Liveness check '{Check}' is ticking again; watchdog feeding resumes")]
        public static partial void CheckRecovered(ILogger logger, string check);
    }
}
