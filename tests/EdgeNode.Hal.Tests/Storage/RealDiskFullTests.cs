using System.Diagnostics;
using EdgeNode.Hal.Storage;
using EdgeNode.Hal.Tests.Support;

namespace EdgeNode.Hal.Tests.Storage;

/// <summary>The same full-disk guarantees on a real, tiny tmpfs (needs root, as on every EdgeNode dev and CI
/// machine) and the kernel's own ENOSPC from /dev/full.</summary>
public sealed class RealDiskFullTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _mount;

    public RealDiskFullTests()
    {
        _mount = _dir.Sub("tiny");
        Run("mount", $"-t tmpfs -o size=128k tmpfs {_mount}");
    }

    public void Dispose()
    {
        Run("umount", _mount, check: false);
        _dir.Dispose();
    }

    private static void Run(string file, string args, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0)
            throw new InvalidOperationException($"'{file} {args}' failed ({p.ExitCode}): {err} — this test needs root to mount a tmpfs");
    }

    [Fact]
    public void DevFull_KernelEnospc_MapsToStorageFullException()
    {
        using var f = StorageFileSystem.Physical.Open("/dev/full", create: false);
        var e = Assert.Throws<IOException>(() => f.Write(0, new byte[16]));
        Assert.True(StorageErrors.IsDiskFull(e), e.Message);
        var wrapped = StorageErrors.Wrap("/dev/full", "write", e);
        Assert.IsType<StorageFullException>(wrapped);
        Assert.Contains("/dev/full", wrapped.Message);
    }

    [Fact]
    public void TinyTmpfs_StoreAndJournal_FillUp_ClearErrors_DurableDataIntact()
    {
        var store = DurableStore.Open(_mount, "identity");
        store.Save("device-7:psk"u8);
        using var journal = Journal.Open(Path.Combine(_mount, "journal"), new JournalOptions
        {
            SegmentBytes = 16L << 10, MaxBytes = 4L << 20, MaxRecordBytes = 4096,
        });
        var payload = new byte[4000];
        var durable = new List<ulong>();
        StorageFullException? full = null;
        for (int i = 0; i < 100 && full is null; i++)
        {
            try
            {
                durable.Add(journal.Append(payload, critical: true).Sequence);
            }
            catch (StorageFullException e)
            {
                full = e;
            }
        }
        Assert.NotNull(full);
        Assert.Contains("journal-", full!.Path);
        Assert.NotEmpty(durable);

        var e2 = Assert.Throws<StorageFullException>(() => store.Save(new byte[64 << 10]));
        Assert.Contains("identity", e2.Path);

        Assert.True(store.TryLoad(out var v, out _));
        Assert.Equal("device-7:psk"u8.ToArray(), v.ToArray());
        Assert.Equal(durable, journal.ReadPending(int.MaxValue, long.MaxValue).Select(r => r.Sequence));
        journal.Dispose();
        using var reopened = Journal.Open(Path.Combine(_mount, "journal"), new JournalOptions
        {
            SegmentBytes = 16L << 10, MaxBytes = 4L << 20, MaxRecordBytes = 4096,
        });
        Assert.Equal(durable, reopened.ReadPending(int.MaxValue, long.MaxValue).Select(r => r.Sequence));

        // Still full: appends fail clearly; acknowledging what the hub has stored frees the space again.
        Assert.Throws<StorageFullException>(() => reopened.Append(payload, critical: true));
        reopened.Acknowledge(durable[^2]);
        var after = reopened.Append(payload, critical: true);
        Assert.True(after.IsDurable);
        Assert.True(after.Sequence > durable[^1]);
        Assert.Equal([durable[^1], after.Sequence], reopened.ReadPending(int.MaxValue, long.MaxValue).Select(r => r.Sequence));
    }
}
