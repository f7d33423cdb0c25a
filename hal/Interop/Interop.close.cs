using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Interop;

internal static partial class Libc
{
    /// <summary>close(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);
}
