using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Interop;

internal static partial class Libc
{
    /// <summary>write(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint write(int fd, byte* buffer, nuint count);
}
