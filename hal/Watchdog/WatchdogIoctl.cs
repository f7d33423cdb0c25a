namespace EdgeNode.Hal.Watchdog;

/// <summary>
/// Request numbers from linux/watchdog.h, for the asm-generic ioctl encoding (x86, arm, arm64, riscv):
/// <code>
///  31 30 | 29 .......... 16 | 15 ..... 8 | 7 ...... 0
///   dir  |       size       |  type 'W'  |   number
/// </code>
/// dir: 2 = _IOR (kernel writes), 3 = _IOWR.
/// </summary>
internal static class WatchdogIoctl
{
    private const uint Read = 2u << 30;
    private const uint ReadWrite = 3u << 30;
    private const uint Type = (uint)'W' << 8;

    /// <summary>struct watchdog_info { __u32 options; __u32 firmware_version; __u8 identity[32]; }</summary>
    public const int WatchdogInfoSize = 40;

    public const uint GetSupport = Read | (WatchdogInfoSize << 16) | Type | 0;   // 0x80285700
    public const uint GetStatus = Read | (4 << 16) | Type | 1;                   // 0x80045701
    public const uint GetBootStatus = Read | (4 << 16) | Type | 2;               // 0x80045702
    public const uint KeepAlive = Read | (4 << 16) | Type | 5;                   // 0x80045705
    public const uint SetTimeout = ReadWrite | (4 << 16) | Type | 6;             // 0xC0045706
    public const uint GetTimeout = Read | (4 << 16) | Type | 7;                  // 0x80045707

    public static string Name(uint request) => request switch
    {
        GetSupport => "WDIOC_GETSUPPORT",
        GetStatus => "WDIOC_GETSTATUS",
        GetBootStatus => "WDIOC_GETBOOTSTATUS",
        KeepAlive => "WDIOC_KEEPALIVE",
        SetTimeout => "WDIOC_SETTIMEOUT",
        GetTimeout => "WDIOC_GETTIMEOUT",
        _ => $"ioctl 0x{request:X8}",
    };
}
