namespace EdgeNode.Hal.Watchdog;

/// <summary>The syscalls <see cref="LinuxWatchdogDevice"/> makes. Real: <see cref="LibcWatchdogSyscalls"/>; tests
/// substitute a model of the kernel driver. Every call returns a negative errno on failure.</summary>
internal interface IWatchdogSyscalls
{
    /// <summary>open(path, O_WRONLY|O_CLOEXEC): fd or -errno.</summary>
    int Open(string path);

    /// <summary>ioctl(fd, request, arg): 0 or -errno. <paramref name="arg"/> is the request's in/out buffer.</summary>
    int Ioctl(int fd, uint request, Span<byte> arg);

    /// <summary>write(fd, data): bytes written or -errno.</summary>
    int Write(int fd, ReadOnlySpan<byte> data);

    /// <summary>close(fd): 0 or -errno.</summary>
    int Close(int fd);
}
