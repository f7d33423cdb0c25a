using System.Buffers.Binary;
using System.Text;
using EdgeNode.Hal.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Boot;

/// <summary>
/// Works out why the agent is starting. A <see cref="DurableStore"/> named "boot" holds the start count, the kernel
/// boot id (/proc/sys/kernel/random/boot_id) and the clean-stop marker: <see cref="Detect"/> reads it and clears the
/// marker (so a crash or power loss from here on leaves no marker), <see cref="MarkCleanStop"/> sets it.
/// Precedence: watchdog reset (from <c>HardwareWatchdog.LastBootWasWatchdogReset</c>) &gt; first boot &gt; clean stop
/// &gt; same boot id (agent restart) &gt; power loss.
/// </summary>
public sealed partial class BootReasonDetector
{
    private const byte Running = 0;
    private const byte CleanlyStopped = 1;
    private readonly DurableStore _store;
    private readonly Func<string?> _bootId;
    private readonly ILogger _logger;
    private ulong _starts;
    private string? _currentBootId;

    /// <summary>A detector keeping its record in <paramref name="stateDirectory"/>.</summary>
    public BootReasonDetector(string stateDirectory, ILogger<BootReasonDetector>? logger = null)
        : this(DurableStore.Open(stateDirectory, "boot"), ReadKernelBootId, logger)
    {
    }

    internal BootReasonDetector(DurableStore store, Func<string?> bootId, ILogger? logger)
    {
        _store = store;
        _bootId = bootId;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Determines the reason and records this start (clearing the clean-stop marker).</summary>
    /// <param name="watchdogReset">True when the hardware watchdog's boot status has WDIOF_CARDRESET.</param>
    /// <exception cref="IOException">The record could not be written (names the file).</exception>
    public BootRecord Detect(bool watchdogReset)
    {
        _currentBootId = _bootId();
        BootReason reason;
        string? previousBootId = null;
        ulong starts = 0;
        if (_store.TryLoad(out var value, out _) && value.Length >= 9)
        {
            var s = value.Span;
            starts = BinaryPrimitives.ReadUInt64LittleEndian(s);
            byte marker = s[8];
            previousBootId = s.Length > 9 ? Encoding.ASCII.GetString(s[9..]) : null;
            reason = watchdogReset ? BootReason.Watchdog
                : marker == CleanlyStopped ? BootReason.CleanStop
                : previousBootId is not null && previousBootId == _currentBootId ? BootReason.AgentRestart
                : BootReason.PowerLoss;
        }
        else
        {
            reason = watchdogReset ? BootReason.Watchdog : BootReason.FirstBoot;
        }
        _starts = starts + 1;
        Write(Running);
        Log.Detected(_logger, reason, _starts);
        return new BootRecord(reason, _starts, previousBootId);
    }

    /// <summary>Sets the clean-stop marker (call last on a clean stop, after the journal is flushed).</summary>
    public void MarkCleanStop() => Write(CleanlyStopped);

    private void Write(byte marker)
    {
        string id = _currentBootId ?? "";
        var buf = new byte[9 + id.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(buf, _starts);
        buf[8] = marker;
        Encoding.ASCII.GetBytes(id, buf.AsSpan(9));
        _store.Save(buf);
    }

    private static string? ReadKernelBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 180, Level = LogLevel.Information, Message = "Boot reason: {Reason} (start #{Starts})")]
        public static partial void Detected(ILogger logger, BootReason reason, ulong starts);
    }
}
