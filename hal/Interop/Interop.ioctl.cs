using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Interop;

internal static partial class Libc
{
    /// <summary>ioctl(2) with a pointer argument (the request's struct or int).</summary>
    [LibraryImport(LibraryName, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int ioctl(int fd, nuint request, void* argp);
}
