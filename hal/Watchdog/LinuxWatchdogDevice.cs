using System.Buffers.Binary;
using System.Text;
using EdgeNode.Hal.Interop;

namespace EdgeNode.Hal.Watchdog;

/// <summary>
/// A Linux watchdog character device (/dev/watchdog, /dev/watchdogN) driven through ioctls. Failed calls throw an
/// <see cref="IOException"/> naming the device, the call, errno and its text.
/// </summary>
public sealed class LinuxWatchdogDevice : WatchdogDevice
{
    private readonly IWatchdogSyscalls _sys;
    private int _fd = -1;

    /// <summary>A device at <paramref name="path"/>; nothing is opened until the controller opens it.</summary>
    public LinuxWatchdogDevice(string path = "/dev/watchdog") : this(path, LibcWatchdogSyscalls.Instance)
    {
    }

    internal LinuxWatchdogDevice(string path, IWatchdogSyscalls syscalls)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _sys = syscalls;
    }

    /// <inheritdoc/>
    public override string Path { get; }

    /// <inheritdoc/>
    protected internal override void Open()
    {
        int fd = _sys.Open(Path);
        if (fd < 0) throw NativeError.Exception($"watchdog {Path}", "open", -fd);
        _fd = fd;
    }

    /// <inheritdoc/>
    protected internal override WatchdogInfo GetSupport()
    {
        Span<byte> info = stackalloc byte[WatchdogIoctl.WatchdogInfoSize];
        info.Clear();
        Ioctl(WatchdogIoctl.GetSupport, info);
        var identity = info.Slice(8, 32);
        int nul = identity.IndexOf((byte)0);
        if (nul >= 0) identity = identity[..nul];
        return new WatchdogInfo(
            Encoding.ASCII.GetString(identity).Trim(),
            BinaryPrimitives.ReadUInt32LittleEndian(info[4..]),
            (WatchdogFlags)BinaryPrimitives.ReadUInt32LittleEndian(info));
    }

    /// <inheritdoc/>
    protected internal override WatchdogFlags GetBootStatus() => (WatchdogFlags)IoctlInt(WatchdogIoctl.GetBootStatus, 0);

    /// <inheritdoc/>
    protected internal override int SetTimeout(int seconds) => IoctlInt(WatchdogIoctl.SetTimeout, seconds);

    /// <inheritdoc/>
    protected internal override int GetTimeout() => IoctlInt(WatchdogIoctl.GetTimeout, 0);

    /// <inheritdoc/>
    protected internal override void Keepalive() => IoctlInt(WatchdogIoctl.KeepAlive, 0);

    /// <inheritdoc/>
    protected internal override void Close(bool magicClose)
    {
        if (_fd < 0) return;
        int fd = _fd;
        _fd = -1;
        if (magicClose)
        {
            int written = _sys.Write(fd, "V"u8);
            if (written < 0)
            {
                _sys.Close(fd);
                throw NativeError.Exception($"watchdog {Path}", "magic close write('V')", -written);
            }
        }
        int rc = _sys.Close(fd);
        if (rc < 0) throw NativeError.Exception($"watchdog {Path}", "close", -rc);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_fd >= 0)
        {
            _sys.Close(_fd); // no 'V': an unplanned release leaves the watchdog armed
            _fd = -1;
        }
    }

    private int IoctlInt(uint request, int value)
    {
        Span<byte> arg = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(arg, value);
        Ioctl(request, arg);
        return BinaryPrimitives.ReadInt32LittleEndian(arg);
    }

    private void Ioctl(uint request, Span<byte> arg)
    {
        if (_fd < 0) throw new InvalidOperationException($"watchdog {Path} is not open");
        int rc = _sys.Ioctl(_fd, request, arg);
        if (rc < 0) throw NativeError.Exception($"watchdog {Path}", WatchdogIoctl.Name(request), -rc);
    }
}
