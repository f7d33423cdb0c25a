using System.Runtime.InteropServices;
using EdgeNode.Hal.Interop;

namespace EdgeNode.Hal.Watchdog;

/// <summary>The real syscalls, through <see cref="Libc"/>.</summary>
internal sealed class LibcWatchdogSyscalls : IWatchdogSyscalls
{
    public static LibcWatchdogSyscalls Instance { get; } = new();

    public int Open(string path)
    {
        int fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CLOEXEC);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    public unsafe int Ioctl(int fd, uint request, Span<byte> arg)
    {
        fixed (byte* p = arg)
        {
            int rc;
            do rc = Libc.ioctl(fd, request, p);
            while (rc < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
            return rc >= 0 ? 0 : -Marshal.GetLastPInvokeError();
        }
    }

    public unsafe int Write(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            nint rc = Libc.write(fd, p, (nuint)data.Length);
            return rc >= 0 ? (int)rc : -Marshal.GetLastPInvokeError();
        }
    }

    public int Close(int fd) => Libc.close(fd) == 0 ? 0 : -Marshal.GetLastPInvokeError();
}
