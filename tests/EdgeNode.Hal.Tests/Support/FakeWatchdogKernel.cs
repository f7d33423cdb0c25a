using System.Buffers.Binary;
using System.Text;
using EdgeNode.Hal.Watchdog;

namespace EdgeNode.Hal.Tests.Support;

/// <summary>
/// A model of a Linux watchdog driver behind the syscall layer (like the i6300esb with nowayout=0): it decodes the
/// real WDIOC_* request numbers and struct layouts, counts keepalives, and on close tells whether the magic 'V' was
/// written last (disarmed) or not (it would reset the machine).
/// </summary>
internal sealed class FakeWatchdogKernel : IWatchdogSyscalls
{
    public const int Fd = 7;
    public bool IsOpen;
    public int Timeout = 30;
    public int BootStatus;
    public int Keepalives;
    public bool MagicCharPending;
    public bool? ClosedDisarmed;
    public int OpenErrno;
    public int KeepaliveErrno;
    public bool SupportsSetTimeout = true;
    public int GetSupportErrno;
    public readonly List<string> Calls = [];

    public int Open(string path)
    {
        Calls.Add("open " + path);
        if (OpenErrno != 0) return -OpenErrno;
        if (IsOpen) return -16; // EBUSY: a second owner
        IsOpen = true;
        ClosedDisarmed = null;
        return Fd;
    }

    public int Ioctl(int fd, uint request, Span<byte> arg)
    {
        if (fd != Fd || !IsOpen) return -9; // EBADF
        switch (request)
        {
            case 0x80285700: // WDIOC_GETSUPPORT
                Calls.Add("WDIOC_GETSUPPORT");
                if (GetSupportErrno != 0) return -GetSupportErrno;
                if (arg.Length != 40) return -22;
                BinaryPrimitives.WriteUInt32LittleEndian(arg, (uint)((SupportsSetTimeout ? 0x80 : 0) | 0x100 | 0x8000));
                BinaryPrimitives.WriteUInt32LittleEndian(arg[4..], 0);
                Encoding.ASCII.GetBytes("i6300ESB timer").CopyTo(arg[8..]);
                return 0;
            case 0x80045702: // WDIOC_GETBOOTSTATUS
                Calls.Add("WDIOC_GETBOOTSTATUS");
                BinaryPrimitives.WriteInt32LittleEndian(arg, BootStatus);
                return 0;
            case 0xC0045706: // WDIOC_SETTIMEOUT
                int wanted = BinaryPrimitives.ReadInt32LittleEndian(arg);
                Calls.Add($"WDIOC_SETTIMEOUT {wanted}");
                if (!SupportsSetTimeout || wanted < 1) return -22; // EINVAL
                Timeout = wanted;
                BinaryPrimitives.WriteInt32LittleEndian(arg, Timeout);
                return 0;
            case 0x80045707: // WDIOC_GETTIMEOUT
                Calls.Add("WDIOC_GETTIMEOUT");
                BinaryPrimitives.WriteInt32LittleEndian(arg, Timeout);
                return 0;
            case 0x80045705: // WDIOC_KEEPALIVE
                Calls.Add("WDIOC_KEEPALIVE");
                if (KeepaliveErrno != 0) return -KeepaliveErrno;
                Keepalives++;
                return 0;
            default:
                Calls.Add($"ioctl 0x{request:X8}");
                return -25; // ENOTTY
        }
    }

    public int Write(int fd, ReadOnlySpan<byte> data)
    {
        if (fd != Fd || !IsOpen) return -9;
        Calls.Add("write " + Encoding.ASCII.GetString(data));
        // The kernel: any write is a keepalive; a 'V' anywhere in it arms the magic close.
        MagicCharPending = data.IndexOf((byte)'V') >= 0;
        Keepalives++;
        return data.Length;
    }

    public int Close(int fd)
    {
        if (fd != Fd || !IsOpen) return -9;
        Calls.Add("close");
        IsOpen = false;
        ClosedDisarmed = MagicCharPending;
        MagicCharPending = false;
        return 0;
    }
}
