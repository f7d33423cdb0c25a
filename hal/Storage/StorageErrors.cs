namespace EdgeNode.Hal.Storage;

/// <summary>Maps low-level I/O failures to exceptions that name the file and the reason.</summary>
internal static class StorageErrors
{
    private const int ENOSPC = 28;
    private const int EDQUOT = 122;

    public static bool IsDiskFull(IOException e) =>
        e is StorageFullException || e.HResult is ENOSPC or EDQUOT ||
        e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) ||
        e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);

    public static IOException Wrap(string path, string operation, IOException e) =>
        IsDiskFull(e)
            ? e as StorageFullException ?? new StorageFullException(path, $"{operation}: {e.Message}", e)
            : new IOException($"{path}: {operation} failed: {e.Message}", e);
}
