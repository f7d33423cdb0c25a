using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: datagrams such as "READY=1", "STATUS=...", "STOPPING=1" and "WATCHDOG=1" sent to
/// the unix socket named by $NOTIFY_SOCKET (a name starting with '@' is in the abstract namespace).
/// Unlike Microsoft.Extensions.Hosting.Systemd it also handles the watchdog ($WATCHDOG_USEC, $WATCHDOG_PID), and it
/// works whenever NOTIFY_SOCKET is set, whoever the parent is. Outside systemd every call is a cheap no-op that
/// returns false.
/// </summary>
public sealed partial class SystemdNotifier : IDisposable
{
    private readonly ILogger _logger;
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly object _gate = new();
    private bool _sendFailureLogged;

    private SystemdNotifier(string? socketPath, TimeSpan? watchdogInterval, ILogger logger)
    {
        _logger = logger;
        WatchdogInterval = watchdogInterval;
        SocketPath = socketPath;
        if (socketPath is not null)
        {
            string name = socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath;
            _endpoint = new UnixDomainSocketEndPoint(name);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
    }

    /// <summary>Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the process environment.</summary>
    public static SystemdNotifier FromEnvironment(ILogger<SystemdNotifier>? logger = null) =>
        Create(Environment.GetEnvironmentVariable, Environment.ProcessId, logger);

    /// <summary>Builds a notifier from an injected environment (tests pass a dictionary lookup instead of touching
    /// the process environment).</summary>
    /// <param name="environment">Looks up a variable; null when unset.</param>
    /// <param name="processId">Our pid, compared with WATCHDOG_PID.</param>
    /// <param name="logger">Optional logger.</param>
    public static SystemdNotifier Create(Func<string, string?> environment, int processId, ILogger<SystemdNotifier>? logger = null)
    {
        ILogger log = (ILogger?)logger ?? NullLogger.Instance;
        string? socket = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socket)) socket = null;
        else if (socket[0] != '/' && socket[0] != '@')
        {
            Log.BadSocket(log, socket);
            socket = null;
        }

        TimeSpan? interval = null;
        string? usec = environment("WATCHDOG_USEC");
        if (socket is not null && !string.IsNullOrEmpty(usec))
        {
            string? pid = environment("WATCHDOG_PID");
            if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong micros) || micros == 0)
                Log.BadWatchdogUsec(log, usec);
            else if (!string.IsNullOrEmpty(pid) &&
                     (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p != processId))
                Log.WatchdogForOtherPid(log, pid, processId);
            else
                interval = TimeSpan.FromMicroseconds(micros);
        }
        return new SystemdNotifier(socket, interval, log);
    }

    /// <summary>True when NOTIFY_SOCKET is set (we run under systemd with Type=notify or NotifyAccess).</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>The socket path from NOTIFY_SOCKET, or null.</summary>
    public string? SocketPath { get; }

    /// <summary>systemd's WatchdogSec for this process (WATCHDOG_USEC), or null when systemd does not watch us.
    /// Send <see cref="Watchdog"/> at half this interval.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>"READY=1" (plus "STATUS=..." when given): startup finished.</summary>
    public bool Ready(string? status = null) => Notify(status is null ? "READY=1" : $"READY=1\nSTATUS={status.ReplaceLineEndings(" ")}");

    /// <summary>"STATUS=...": one line shown by systemctl status.</summary>
    public bool Status(string status) => Notify("STATUS=" + status.ReplaceLineEndings(" "));

    /// <summary>"STOPPING=1": a clean stop has begun.</summary>
    public bool Stopping() => Notify("STOPPING=1");

    /// <summary>"WATCHDOG=1": feeds systemd's watchdog. Call it only while the process is healthy
    /// (<see cref="Watchdog.WatchdogFeeder"/> does).</summary>
    public bool Watchdog() => Notify("WATCHDOG=1");

    /// <summary>Sends any newline-separated assignment list. Returns false when not under systemd or when the send
    /// failed (logged once per failure streak, never thrown: losing systemd must not crash the agent).</summary>
    public bool Notify(string state)
    {
        if (_socket is null) return false;
        byte[] payload = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                _socket.SendTo(payload, SocketFlags.None, _endpoint!);
                _sendFailureLogged = false;
                return true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!_sendFailureLogged)
                {
                    _sendFailureLogged = true;
                    Log.SendFailed(_logger, SocketPath!, state, e.Message);
                }
                return false;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
            Message = "NOTIFY_SOCKET '{Socket}' is neither a path nor an abstract name ('@...'); systemd notifications are off")]
        public static partial void BadSocket(ILogger logger, string socket);

        [LoggerMessage(EventId = 121, Level = LogLevel.Warning,
            Message = "WATCHDOG_USEC '{Value}' is not a positive number of microseconds; systemd watchdog feeding is off")]
        public static partial void BadWatchdogUsec(ILogger logger, string value);

        [LoggerMessage(EventId = 122, Level = LogLevel.Information,
            Message = "WATCHDOG_PID {WatchdogPid} is not this process ({Pid}); systemd watchdog feeding is off")]
        public static partial void WatchdogForOtherPid(ILogger logger, string watchdogPid, int pid);

        [LoggerMessage(EventId = 123, Level = LogLevel.Warning,
            Message = "Could not notify systemd on {Socket} ('{State}'): {Reason}")]
        public static partial void SendFailed(ILogger logger, string socket, string state, string reason);
    }
}
