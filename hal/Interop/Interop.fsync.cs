using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Interop;

internal static partial class Libc
{
    /// <summary>fsync(2); used on directories after a rename (a FileStream cannot open a directory).</summary>
    [LibraryImport(LibraryName, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int fsync(int fd);
}
