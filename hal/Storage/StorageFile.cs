namespace EdgeNode.Hal.Storage;

/// <summary>An open file in the storage layer (positional reads and writes, explicit fsync).</summary>
internal abstract class StorageFile : IDisposable
{
    public abstract string Path { get; }
    public abstract long Length { get; }
    public abstract void Write(long offset, ReadOnlySpan<byte> data);
    public abstract int Read(long offset, Span<byte> buffer);
    public abstract void Fsync();
    public abstract void SetLength(long length);
    public abstract void Dispose();
}
