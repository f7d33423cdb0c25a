namespace EdgeNode.Hal.Interop;

/// <summary>Native calls into the C library. One syscall per file (Interop.open.cs, Interop.ioctl.cs, ...).</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc";

    internal const int O_RDONLY = 0x0000;
    internal const int O_WRONLY = 0x0001;
    internal const int O_RDWR = 0x0002;
    internal const int O_CLOEXEC = 0x80000;

    /// <summary>Architecture-specific: 0x10000 on x86-64, 0x4000 on arm64 (where 0x10000 is O_DIRECT, and opening a
    /// directory with it fails with EINVAL). The other flags here are the same on both.</summary>
    internal static readonly int O_DIRECTORY = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
        is System.Runtime.InteropServices.Architecture.Arm64 ? 0x4000 : 0x10000;

    internal const int EINTR = 4;
    internal const int ENOSPC = 28;
}
