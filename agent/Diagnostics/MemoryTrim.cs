using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Diagnostics;

/// <summary>
/// Hands the agent's freed memory back to the kernel on a schedule: a blocking, compacting gen2 collection in
/// <see cref="GCCollectionMode.Aggressive"/> mode (which also decommits the free space it leaves), first
/// <see cref="FirstDelay"/> after start (start-up's garbage: config, handshake, the first desired state), then every
/// <see cref="Interval"/>. Without it an idle agent's resident memory crept up in steps of 50–100 KB as the GC
/// touched fresh pages of its regions for promoted garbage it had no reason yet to collect (soaks in
/// agent/README.md). A collection of the agent's ~3 MB heap takes about a millisecond, once in ten minutes.
/// </summary>
public sealed partial class MemoryTrim : IDisposable
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private readonly ITimer _timer;
    private readonly Action _collect;
    private readonly ILogger _logger;
    private int _runs;

    /// <param name="collect">The collection to run (tests count calls); default <see cref="CollectAggressively"/>.</param>
    public MemoryTrim(TimeProvider time, ILogger<MemoryTrim> logger, Action? collect = null)
    {
        _logger = logger;
        _collect = collect ?? CollectAggressively;
        _timer = time.CreateTimer(_ => Run(), null, FirstDelay, Interval);
    }

    /// <summary>How many trims have run.</summary>
    public int Runs => Volatile.Read(ref _runs);

    public void Dispose() => _timer.Dispose();

    internal static void CollectAggressively() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private void Run()
    {
        // The heap figures are for the debug line only: not read (GetGCMemoryInfo allocates) unless it is written.
        bool log = _logger.IsEnabled(LogLevel.Debug);
        long before = log ? GC.GetGCMemoryInfo().TotalCommittedBytes : 0;
        _collect();
        Interlocked.Increment(ref _runs);
        if (log)
            LogTrimmed(_logger, before / 1024, GC.GetGCMemoryInfo().TotalCommittedBytes / 1024, GC.GetTotalMemory(forceFullCollection: false) / 1024);
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Debug, Message = "memory trim: GC committed {BeforeKiB} KiB -> {AfterKiB} KiB, live {LiveKiB} KiB")]
    private static partial void LogTrimmed(ILogger logger, long beforeKiB, long afterKiB, long liveKiB);
}
