using System.Runtime.InteropServices;

namespace EdgeNode.Hal.Interop;

internal static partial class Libc
{
    /// <summary>open(2). Returns a file descriptor or -1 (errno via <see cref="Marshal.GetLastPInvokeError"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string pathname, int flags);
}
