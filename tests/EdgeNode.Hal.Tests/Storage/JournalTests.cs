using System.Text;
using EdgeNode.Hal.Power;
using EdgeNode.Hal.Storage;
using EdgeNode.Hal.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Storage;

public sealed class JournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly FaultInjectingFileSystem _fs = new();
    private static readonly JournalOptions Small = new()
    {
        CommitInterval = TimeSpan.FromMilliseconds(100),
        SegmentBytes = 1024,
        MaxBytes = 4096,
        MaxRecordBytes = 200,
    };

    public void Dispose() => _dir.Dispose();

    private Journal Open(JournalOptions? options = null, PowerFailGuard? guard = null) =>
        Journal.Open(_dir.Path, options ?? new JournalOptions { CommitInterval = TimeSpan.FromMilliseconds(100) }, _fs, _time, guard, null);

    private static byte[] P(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(JournalRecord r) => Encoding.UTF8.GetString(r.Payload.Span);

    [Fact]
    public void Append_NonCritical_BecomesDurableOnlyAtGroupCommit()
    {
        using var j = Open();
        int before = _fs.Fsyncs;
        var a = j.Append(P("a"));
        var b = j.Append(P("b"));
        Assert.False(a.IsDurable);
        Assert.False(b.IsDurable);
        Assert.Equal(before, _fs.Fsyncs);
        Assert.Empty(j.ReadPending()); // not durable yet: never offered to the hub

        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0UL, j.DurableSequence);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(b.Sequence, j.DurableSequence);
        Assert.Equal(before + 1, _fs.Fsyncs); // one fsync for both: group commit
        Assert.Equal(["a", "b"], j.ReadPending().Select(S));
    }

    [Fact]
    public void Append_Critical_IsFsyncedBeforeReturning()
    {
        using var j = Open();
        j.Append(P("plain"));
        int before = _fs.Fsyncs;
        var r = j.Append(P("crit"), critical: true);
        Assert.True(r.IsDurable);
        Assert.Equal(before + 1, _fs.Fsyncs);
        Assert.Equal(r.Sequence, j.DurableSequence); // covers the earlier non-critical record too
        Assert.Equal(2, j.ReadPending().Count);
    }

    [Fact]
    public void GroupCommit_NoNewRecords_NoFsync()
    {
        using var j = Open();
        j.Append(P("x"));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        int after = _fs.Fsyncs;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(after, _fs.Fsyncs);
    }

    [Fact]
    public void Acknowledge_PersistsCursor_AcrossReopen()
    {
        using (var j = Open())
        {
            for (int i = 0; i < 5; i++) j.Append(P($"r{i}"), critical: true);
            j.Acknowledge(3);
        }
        using var reopened = Open();
        Assert.Equal(3UL, reopened.AcknowledgedSequence);
        Assert.Equal(["r3", "r4"], reopened.ReadPending().Select(S));
        Assert.Equal("4-5", reopened.Recovery.Pending);
    }

    [Fact]
    public void Recovery_Pending_ListsTheUnacknowledgedRunsAcrossRestarts()
    {
        using (var j = Open())
        {
            for (int i = 0; i < 3; i++) j.Append(P($"a{i}"), critical: true);
            j.Acknowledge(1);
        }
        ulong second;
        using (var j = Open())
        {
            Assert.Equal("2-3", j.Recovery.Pending);
            second = j.Append(P("b"), critical: true).Sequence;
        }
        using var reopened = Open();
        Assert.True(second > 4, "a restart skips the sequences reserved before it");
        Assert.Equal($"2-3,{second}", reopened.Recovery.Pending);
        reopened.Acknowledge(second);
        reopened.Dispose();
        using var drained = Open();
        Assert.Equal("", drained.Recovery.Pending);
    }

    [Fact]
    public void Acknowledge_BeyondDurable_Throws()
    {
        using var j = Open();
        var r = j.Append(P("not yet durable"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => j.Acknowledge(r.Sequence));
        Assert.Contains("durable", e.Message);
    }

    [Fact]
    public void Sequence_ContinuesAboveEveryIssuedNumber_AfterReopenAndCrash()
    {
        ulong last;
        using (var j = Open())
        {
            for (int i = 0; i < 3; i++) j.Append(P("d"), critical: true);
            last = j.Append(P("lost in the crash")).Sequence; // not durable
        }
        // Simulate the crash: cut the undurable record off the segment.
        var seg = Directory.GetFiles(_dir.Path, "journal-*.seg").Single();
        var bytes = File.ReadAllBytes(seg);
        File.WriteAllBytes(seg, bytes[..^(Journal.HeaderSize + "lost in the crash".Length)]);

        using var reopened = Open();
        var next = reopened.Append(P("after"), critical: true);
        Assert.True(next.Sequence > last, $"sequence {next.Sequence} reused (last issued {last})");
        Assert.Equal(["d", "d", "d", "after"], reopened.ReadPending().Select(S));
    }

    [Fact]
    public void Sequence_NeverReused_AfterAllSegmentsAcknowledgedAndDeleted()
    {
        ulong last;
        using (var j = Open(Small))
        {
            for (int i = 0; i < 40; i++) last = j.Append(P($"record {i:D3} ............."), critical: true).Sequence;
            last = j.LastSequence;
            j.Acknowledge(last);
        }
        using var reopened = Open(Small);
        Assert.True(reopened.Append(P("new"), critical: true).Sequence > last);
        Assert.Equal(["new"], reopened.ReadPending().Select(S));
    }

    [Fact]
    public void Bound_DropsOldestNonCriticalFirst_AndCountsDrops()
    {
        using var j = Open(Small);
        var critical = new List<ulong>();
        for (int i = 0; i < 200; i++)
        {
            bool isCritical = i % 10 == 0;
            var r = j.Append(P($"record {i:D3} ....................."), isCritical);
            if (isCritical) critical.Add(r.Sequence);
        }
        j.Flush();
        Assert.True(j.SizeBytes <= Small.MaxBytes + Small.SegmentBytes, $"size {j.SizeBytes}");
        Assert.True(j.DroppedRecords > 0);
        Assert.Equal(0, j.DroppedCriticalRecords);
        var pending = j.ReadPending(int.MaxValue, long.MaxValue);
        // Every critical record survives; the records that went are the oldest non-critical ones.
        Assert.Equal(critical, pending.Where(r => r.IsCritical).Select(r => r.Sequence));
        var keptPlain = pending.Where(r => !r.IsCritical).Select(r => r.Sequence).ToList();
        Assert.Equal(200 - 20 - keptPlain.Count, j.DroppedRecords);
        ulong lastSeq = j.LastSequence;
        Assert.Equal(keptPlain, keptPlain.OrderBy(s => s));
        Assert.Equal(lastSeq, keptPlain[^1]); // the newest records are the ones kept
        // Order on read is by sequence.
        Assert.Equal(pending.Select(r => r.Sequence).OrderBy(s => s), pending.Select(r => r.Sequence));
    }

    [Fact]
    public void Bound_DropCounters_SurviveReopen()
    {
        long dropped;
        using (var j = Open(Small))
        {
            for (int i = 0; i < 200; i++) j.Append(P($"record {i:D3} ....................."));
            j.Flush();
            dropped = j.DroppedRecords;
            Assert.True(dropped > 0);
        }
        using var reopened = Open(Small);
        Assert.Equal(dropped, reopened.DroppedRecords);
    }

    [Fact]
    public void Bound_OnlyCritical_DropsOldestCriticalAsLastResort()
    {
        using var j = Open(Small);
        for (int i = 0; i < 200; i++) j.Append(P($"critical {i:D3} ..................."), critical: true);
        Assert.True(j.DroppedCriticalRecords > 0);
        Assert.Equal(j.DroppedRecords, j.DroppedCriticalRecords);
        var pending = j.ReadPending(int.MaxValue, long.MaxValue);
        Assert.Equal(j.LastSequence, pending[^1].Sequence);
        Assert.Equal(200 - j.DroppedRecords, pending.Count);
    }

    [Fact]
    public void Acknowledge_DeletesFullyAcknowledgedSegments()
    {
        using var j = Open(Small);
        for (int i = 0; i < 60; i++) j.Append(P($"record {i:D3} ....................."), critical: true);
        long before = j.SizeBytes;
        j.Acknowledge(j.LastSequence - 1);
        Assert.True(j.SizeBytes < before);
        Assert.Single(j.ReadPending());
        Assert.Equal(0, j.DroppedRecords);
    }

    [Fact]
    public void ReadPending_RespectsLimits_AndOrder()
    {
        using var j = Open();
        for (int i = 0; i < 10; i++) j.Append(P($"r{i}"), critical: true);
        Assert.Equal(["r0", "r1", "r2"], j.ReadPending(maxRecords: 3).Select(S));
        Assert.Equal(["r0", "r1"], j.ReadPending(maxBytes: 4).Select(S));
        Assert.Equal(["r0"], j.ReadPending(maxBytes: 1).Select(S)); // at least one
    }

    [Fact]
    public void Append_DiskFull_ClearError_NothingDurableLost_AndUsableAfterSpaceFreed()
    {
        using var j = Open();
        var durable = new List<string>();
        for (int i = 0; i < 5; i++) { j.Append(P($"kept {i}"), critical: true); durable.Add($"kept {i}"); }
        _fs.FreeBytes = 10; // less than one frame
        var e = Assert.Throws<StorageFullException>(() => j.Append(P("does not fit"), critical: true));
        Assert.Contains("journal-", e.Path);
        Assert.Contains("disk is full", e.Message);
        Assert.Equal(durable, j.ReadPending().Select(S));

        _fs.FreeBytes = long.MaxValue;
        var after = j.Append(P("after"), critical: true);
        Assert.True(after.IsDurable);
        j.Dispose();
        using var reopened = Open();
        Assert.Equal([.. durable, "after"], reopened.ReadPending().Select(S));
        Assert.Equal(0, reopened.Recovery.SkippedBytes);
    }

    [Fact]
    public void GroupCommit_FsyncFails_NotDurable_RetriedLater()
    {
        using var j = Open();
        j.Append(P("x"));
        _fs.FailFsync = true;
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0UL, j.DurableSequence);
        _fs.FailFsync = false;
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1UL, j.DurableSequence);
    }

    [Fact]
    public void Append_AfterPowerFail_IsRefused_AndFlushMadeEverythingDurable()
    {
        var guard = new PowerFailGuard(_time);
        using var j = Open(guard: guard);
        guard.OnPowerFail("journal", () => j.Flush());
        j.Append(P("a"));
        j.Append(P("b"));
        guard.Trip("test");
        Assert.Equal(2UL, j.DurableSequence);
        Assert.Throws<WritesSuspendedException>(() => j.Append(P("c")));
    }

    [Fact]
    public void Open_InterruptedCompactionTempFile_IsRemoved_SegmentIntact()
    {
        string seg;
        using (var j = Open())
        {
            j.Append(P("kept"), critical: true);
            seg = Directory.GetFiles(_dir.Path, "journal-*.seg").Single();
        }
        File.WriteAllBytes(seg + ".tmp", [1, 2, 3]); // a compaction cut short by a crash
        using var reopened = Open();
        Assert.False(File.Exists(seg + ".tmp"));
        Assert.Equal(["kept"], reopened.ReadPending().Select(S));
    }

    [Fact]
    public void Bound_CompactionHitsFullDisk_AppendStillSucceeds_NothingDurableLost()
    {
        static byte[] Rec(int i) => P($"record {i:D3} .....................");
        int frame = Journal.HeaderSize + Rec(0).Length;
        var expected = new List<ulong>();
        var log = new CapturingLogger<Journal>();
        using (var j = Journal.Open(_dir.Path, Small, _fs, _time, null, log))
        {
            // Fill up to just below the bound, every record durable.
            int i = 0;
            while (j.SizeBytes + frame <= Small.MaxBytes)
                expected.Add(j.Append(Rec(i++), critical: i % 3 == 0).Sequence);
            j.Flush();
            // The disk has room for the next record only, not for the compaction that its size triggers.
            _fs.FreeBytes = frame;
            var r = j.Append(Rec(i++), critical: true);
            Assert.True(r.IsDurable);
            expected.Add(r.Sequence);
            Assert.Equal(0, j.DroppedRecords); // the compaction could not run, so nothing was dropped
            Assert.Contains(log.Entries, e => e.Id.Id == 175 && e.Message.Contains("could not make room"));
            Assert.Equal(expected, j.ReadPending(int.MaxValue, long.MaxValue).Select(x => x.Sequence));
            Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
        }
        _fs.FreeBytes = long.MaxValue;
        using var reopened = Open(Small);
        Assert.Equal(expected, reopened.ReadPending(int.MaxValue, long.MaxValue).Select(x => x.Sequence));
    }

    [Fact]
    public void Append_TooLarge_IsRejected()
    {
        using var j = Open(Small);
        var e = Assert.Throws<ArgumentException>(() => j.Append(new byte[201]));
        Assert.Contains("exceeds", e.Message);
    }
}
