using EdgeNode.Hal.Storage;

namespace EdgeNode.Hal.Tests.Support;

/// <summary>
/// Real files with a disk that can fill up: once <see cref="FreeBytes"/> is exhausted a write stores what still
/// fits and then fails with ENOSPC, like write(2) on a full ext4; deleting or replacing a file gives its space back. <see cref="FailFsync"/> makes fsync fail (EIO).
/// Counts fsyncs so tests can see group commit.
/// </summary>
internal sealed class FaultInjectingFileSystem : StorageFileSystem
{
    private readonly StorageFileSystem _inner = Physical;
    public long FreeBytes { get; set; } = long.MaxValue;
    public bool FailFsync { get; set; }
    /// <summary>Count fsyncs but do not make them (recovery tests that open thousands of journals).</summary>
    public bool SkipSync { get; set; }
    public int Fsyncs;
    public int DirectoryFsyncs;

    public override StorageFile Open(string path, bool create) => new File(this, _inner.Open(path, create));
    public override bool Exists(string path) => _inner.Exists(path);
    public override byte[] ReadAll(string path) => _inner.ReadAll(path);
    public override void Rename(string from, string to)
    {
        long replaced = System.IO.File.Exists(to) ? new FileInfo(to).Length : 0;
        _inner.Rename(from, to);
        Credit(replaced);
    }

    public override void Delete(string path)
    {
        long freed = System.IO.File.Exists(path) ? new FileInfo(path).Length : 0;
        _inner.Delete(path);
        Credit(freed);
    }

    private void Credit(long bytes)
    {
        if (FreeBytes != long.MaxValue) FreeBytes += bytes;
    }
    public override void CreateDirectory(string directory) => _inner.CreateDirectory(directory);
    public override IReadOnlyList<string> List(string directory, string pattern) => _inner.List(directory, pattern);

    public override void FsyncDirectory(string directory)
    {
        if (FailFsync) throw new IOException("Input/output error", 5);
        Interlocked.Increment(ref DirectoryFsyncs);
        if (!SkipSync) _inner.FsyncDirectory(directory);
    }

    private sealed class File(FaultInjectingFileSystem fs, StorageFile inner) : StorageFile
    {
        public override string Path => inner.Path;
        public override long Length => inner.Length;

        public override void Write(long offset, ReadOnlySpan<byte> data)
        {
            long growth = Math.Max(0, offset + data.Length - inner.Length);
            if (growth > fs.FreeBytes)
            {
                long fits = data.Length - (growth - fs.FreeBytes);
                if (fits > 0) inner.Write(offset, data[..(int)fits]);
                fs.FreeBytes = 0;
                throw new IOException($"No space left on device : '{inner.Path}'", 28);
            }
            if (fs.FreeBytes != long.MaxValue) fs.FreeBytes -= growth;
            inner.Write(offset, data);
        }

        public override int Read(long offset, Span<byte> buffer) => inner.Read(offset, buffer);

        public override void Fsync()
        {
            if (fs.FailFsync) throw new IOException("Input/output error", 5);
            Interlocked.Increment(ref fs.Fsyncs);
            if (!fs.SkipSync) inner.Fsync();
        }

        public override void SetLength(long length)
        {
            if (length > inner.Length)
            {
                long growth = length - inner.Length;
                if (growth > fs.FreeBytes) throw new IOException("No space left on device", 28);
                if (fs.FreeBytes != long.MaxValue) fs.FreeBytes -= growth;
            }
            else if (fs.FreeBytes != long.MaxValue)
            {
                fs.FreeBytes += inner.Length - length;
            }
            inner.SetLength(length);
        }

        public override void Dispose() => inner.Dispose();
    }
}
