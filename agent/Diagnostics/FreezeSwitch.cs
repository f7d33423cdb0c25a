using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Diagnostics;

/// <summary>
/// Fault injection for the end-to-end watchdog test: while the flag file exists (default
/// <c>/run/edgenode/freeze-loops</c>, on tmpfs so a reboot clears it), every loop that calls
/// <see cref="WaitWhileFrozenAsync"/> blocks there and stops ticking its liveness check. The watchdog gate then
/// stops feeding: systemd's WatchdogSec restarts the agent first, and when the flag persists across restarts
/// the hardware watchdog resets the unit.
/// </summary>
public sealed partial class FreezeSwitch
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FreezeSwitch(string path, TimeProvider time, ILogger<FreezeSwitch> logger)
    {
        _path = path;
        _time = time;
        _logger = logger;
    }

    public string Path => _path;

    public bool IsFrozen => File.Exists(_path);

    /// <summary>Returns at once when the flag is absent; otherwise polls each second until it is removed.</summary>
    public async ValueTask WaitWhileFrozenAsync(string loop, CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return;
        }

        LogFrozen(_logger, loop, _path);
        while (File.Exists(_path))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        LogThawed(_logger, loop, _path);
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "fault injection: {Loop} loop frozen while {Path} exists (liveness stops ticking, the watchdogs will fire)")]
    private static partial void LogFrozen(ILogger logger, string loop, string path);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "fault injection: {Loop} loop resumed ({Path} removed)")]
    private static partial void LogThawed(ILogger logger, string loop, string path);
}
