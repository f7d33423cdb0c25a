using System.Runtime.InteropServices;
using EdgeNode.Hal.Interop;

namespace EdgeNode.Hal.Storage;

/// <summary>Real files: unbuffered FileStreams (every Write is a write(2)), Flush(true) is fsync(2), and directories
/// are fsynced through open(2)+fsync(2) after a rename or delete.</summary>
internal sealed class PhysicalFileSystem : StorageFileSystem
{
    public override StorageFile Open(string path, bool create) => new PhysicalFile(path,
        new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 0, FileOptions.None));

    public override bool Exists(string path) => File.Exists(path);

    public override byte[] ReadAll(string path) => File.ReadAllBytes(path);

    public override void Rename(string from, string to) => File.Move(from, to, overwrite: true);

    public override void Delete(string path) => File.Delete(path);

    public override void CreateDirectory(string directory) => Directory.CreateDirectory(directory);

    public override IReadOnlyList<string> List(string directory, string pattern) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : [];

    public override void FsyncDirectory(string directory)
    {
        int fd = Libc.open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0) throw NativeError.Exception($"directory {directory}", "open", Marshal.GetLastPInvokeError());
        try
        {
            if (Libc.fsync(fd) != 0) throw NativeError.Exception($"directory {directory}", "fsync", Marshal.GetLastPInvokeError());
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private sealed class PhysicalFile(string path, FileStream stream) : StorageFile
    {
        public override string Path => path;
        public override long Length => stream.Length;

        public override void Write(long offset, ReadOnlySpan<byte> data)
        {
            stream.Position = offset;
            stream.Write(data);
        }

        public override int Read(long offset, Span<byte> buffer)
        {
            stream.Position = offset;
            int total = 0;
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        public override void Fsync() => stream.Flush(flushToDisk: true);

        public override void SetLength(long length) => stream.SetLength(length);

        public override void Dispose() => stream.Dispose();
    }
}
