namespace EdgeNode.Hal.Interop;

/// <summary>Native calls into the C library. One syscall per file (Interop.open.cs, Interop.ioctl.cs, ...).</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc";

    internal const int O_RDONLY = 0x0000;
    internal const int O_WRONLY = 0x0001;
    internal const int O_RDWR = 0x0002;
    internal const int O_CLOEXEC = 0x80000;
    internal const int O_DIRECTORY = 0x10000;

    internal const int EINTR = 4;
    internal const int ENOSPC = 28;
}
