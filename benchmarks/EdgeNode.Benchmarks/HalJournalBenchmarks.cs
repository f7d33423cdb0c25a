using BenchmarkDotNet.Attributes;
using EdgeNode.Hal.Storage;

namespace EdgeNode.Benchmarks;

/// <summary>
/// The store-and-forward journal on the real disk: one append without fsync (group commit pending), one critical
/// append (fsync before returning), and opening (recovering) a 10,000-record journal.
/// <c>dotnet run -c Release --project benchmarks/EdgeNode.Benchmarks -- --filter '*HalJournal*'</c>
/// </summary>
[MemoryDiagnoser]
public class HalJournalBenchmarks
{
    private readonly byte[] _payload = new byte[64];
    private string _root = "";
    private Journal? _journal;
    private string _recoveryDir = "";

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "edgenode-bench-journal-" + Environment.ProcessId);
        Directory.CreateDirectory(_root);
        Random.Shared.NextBytes(_payload);
        // A long commit interval: Append_NoFsync measures the write path alone.
        _journal = Journal.Open(Path.Combine(_root, "live"), new JournalOptions { CommitInterval = TimeSpan.FromHours(1), MaxBytes = 1L << 30, SegmentBytes = 4L << 20 });
        _recoveryDir = Path.Combine(_root, "recover");
        using var j = Journal.Open(_recoveryDir, new JournalOptions { MaxBytes = 64L << 20 });
        for (int i = 0; i < 10_000; i++) j.Append(_payload, critical: i % 100 == 99);
        j.Flush();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A 64-byte event, made durable later by the group commit.</summary>
    [Benchmark(Baseline = true)]
    public ulong Append_NoFsync() => _journal!.Append(_payload).Sequence;

    /// <summary>A 64-byte critical event: written and fsynced before returning.</summary>
    [Benchmark]
    public ulong Append_Critical_Fsync() => _journal!.Append(_payload, critical: true).Sequence;

    /// <summary>Open = scan and CRC-check 10,000 records (64-byte payloads, about 820 KB).</summary>
    [Benchmark]
    public long Recover_10000Records()
    {
        using var j = Journal.Open(_recoveryDir, new JournalOptions { MaxBytes = 64L << 20 });
        return j.Recovery.Records;
    }
}
