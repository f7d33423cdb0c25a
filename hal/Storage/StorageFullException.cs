namespace EdgeNode.Hal.Storage;

/// <summary>The disk (or quota) is full: <see cref="Path"/> was not written. Everything stored before stays valid.</summary>
public sealed class StorageFullException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StorageFullException(string path, string detail, Exception? inner = null)
        : base($"{path}: not written, the disk is full ({detail}); the previously stored data is intact", inner)
    {
        Path = path;
    }

    /// <summary>The file that could not be written.</summary>
    public string Path { get; }
}
