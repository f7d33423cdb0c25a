namespace EdgeNode.Hal.Storage;

/// <summary>
/// The few file operations the stores use. <see cref="PhysicalFileSystem"/> is the real one; tests substitute a
/// fault-injecting layer (full disk, failing fsync) to prove that nothing acknowledged as durable is lost.
/// </summary>
internal abstract class StorageFileSystem
{
    public static StorageFileSystem Physical { get; } = new PhysicalFileSystem();

    /// <summary>Opens (creating when <paramref name="create"/>) for read and write.</summary>
    public abstract StorageFile Open(string path, bool create);
    public abstract bool Exists(string path);
    public abstract byte[] ReadAll(string path);
    public abstract void Rename(string from, string to);
    public abstract void Delete(string path);
    public abstract void FsyncDirectory(string directory);
    public abstract void CreateDirectory(string directory);
    public abstract IReadOnlyList<string> List(string directory, string pattern);
}
