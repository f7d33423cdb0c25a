using System.Text;
using EdgeNode.Hal.Storage;
using EdgeNode.Hal.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Storage;

/// <summary>A journal cut at every byte, and with every single bit flipped: recovery never throws, never returns a
/// damaged record, and keeps every record written in full before the cut.</summary>
public sealed class JournalTornWriteTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    // Recovery logic is under test here, not the disk: skip the real fsyncs of thousands of opens.
    private readonly FaultInjectingFileSystem _fs = new() { SkipSync = true };

    public void Dispose() => _dir.Dispose();

    private static readonly string[] Payloads = ["alpha", "", "a somewhat longer third record payload", "δ-unicode", "last"];

    private (byte[] Segment, string Name, long[] Ends) BuildReference()
    {
        string d = _dir.Sub("reference");
        var ends = new List<long>();
        using (var j = Journal.Open(d, new JournalOptions(), _fs, new FakeTimeProvider(), null, null))
        {
            for (int i = 0; i < Payloads.Length; i++)
            {
                j.Append(Encoding.UTF8.GetBytes(Payloads[i]), critical: true);
                ends.Add(new FileInfo(Directory.GetFiles(d, "journal-*.seg").Single()).Length);
            }
        }
        string seg = Directory.GetFiles(d, "journal-*.seg").Single();
        return (File.ReadAllBytes(seg), Path.GetFileName(seg), [.. ends]);
    }

    private List<JournalRecord> Recover(string name, byte[] segment, int attempt, out JournalRecovery recovery)
    {
        string d = _dir.Sub("case");
        foreach (var f in Directory.GetFiles(d)) File.Delete(f);
        File.WriteAllBytes(Path.Combine(d, name), segment);
        using var j = Journal.Open(d, new JournalOptions(), _fs, new FakeTimeProvider(), null, null);
        recovery = j.Recovery;
        var records = j.ReadPending(int.MaxValue, long.MaxValue).ToList();
        // Recovery leaves a journal that accepts appends and reads them back.
        var next = j.Append("after"u8, critical: true);
        Assert.Equal("after", Encoding.UTF8.GetString(j.ReadPending(int.MaxValue, long.MaxValue)[^1].Payload.Span));
        Assert.True(records.Count == 0 || next.Sequence > records[^1].Sequence);
        return records;
    }

    [Fact]
    public void Recover_CutAtEveryByte_KeepsEveryCompleteRecord()
    {
        var (segment, name, ends) = BuildReference();
        for (int cut = 0; cut <= segment.Length; cut++)
        {
            var records = Recover(name, segment[..cut], cut, out var recovery);
            int complete = ends.Count(e => e <= cut);
            Assert.Equal(complete, records.Count);
            for (int i = 0; i < complete; i++)
            {
                Assert.Equal((ulong)(i + 1), records[i].Sequence);
                Assert.Equal(Payloads[i], Encoding.UTF8.GetString(records[i].Payload.Span));
            }
            long completeEnd = complete == 0 ? 0 : ends[complete - 1];
            Assert.Equal(cut - completeEnd, recovery.TruncatedBytes);
        }
    }

    [Fact]
    public void Recover_EverySingleBitFlip_NeverReturnsDamagedRecord_KeepsTheOthers()
    {
        var (segment, name, ends) = BuildReference();
        int attempt = 0;
        for (int bit = 0; bit < segment.Length * 8; bit++)
        {
            var damaged = (byte[])segment.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            int hit = Array.FindIndex(ends, e => bit / 8 < e); // the record holding the flipped byte
            var records = Recover(name, damaged, attempt++, out _);
            var expected = Enumerable.Range(0, Payloads.Length).Where(i => i != hit).ToList();
            Assert.Equal(expected.Select(i => (ulong)(i + 1)), records.Select(r => r.Sequence));
            foreach (var r in records)
                Assert.Equal(Payloads[(int)r.Sequence - 1], Encoding.UTF8.GetString(r.Payload.Span));
        }
    }
}
