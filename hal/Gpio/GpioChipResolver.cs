using System.Text;
using EdgeNode.Hal.Interop;

namespace EdgeNode.Hal.Gpio;

/// <summary>
/// Resolves the profile's "gpioChip" ("gpiochipN", "N" or a chip label such as "gpio-sim.0-node0") to a chip number,
/// reading each /dev/gpiochipN's label with GPIO_GET_CHIPINFO_IOCTL.
/// </summary>
internal static class GpioChipResolver
{
    /// <summary>GPIO_GET_CHIPINFO_IOCTL = _IOR(0xB4, 0x01, struct gpiochip_info { char name[32]; char label[32]; __u32 lines; })</summary>
    private const uint GetChipInfo = (2u << 30) | (68u << 16) | (0xB4u << 8) | 0x01; // 0x8044B401

    public readonly record struct ChipInfo(int Number, string Name, string Label, int Lines);

    public static IReadOnlyList<ChipInfo> List(string devDirectory = "/dev")
    {
        var chips = new List<ChipInfo>();
        if (!Directory.Exists(devDirectory)) return chips;
        foreach (var path in Directory.EnumerateFiles(devDirectory, "gpiochip*"))
        {
            if (!int.TryParse(Path.GetFileName(path).AsSpan("gpiochip".Length), out int n)) continue;
            if (TryRead(path, out var name, out var label, out int lines)) chips.Add(new ChipInfo(n, name, label, lines));
        }
        chips.Sort((a, b) => a.Number.CompareTo(b.Number));
        return chips;
    }

    /// <summary>Finds the chip; on failure <paramref name="reason"/> says why, in words for a log line.</summary>
    public static bool TryResolve(string chip, out ChipInfo info, out string reason) =>
        TryResolve(chip, List(), out info, out reason);

    internal static bool TryResolve(string chip, IReadOnlyList<ChipInfo> chips, out ChipInfo info, out string reason)
    {
        info = default;
        if (chips.Count == 0)
        {
            reason = "no GPIO chip exists (/dev/gpiochip* missing or unreadable)";
            return false;
        }
        int? wanted = null;
        if (chip.StartsWith("gpiochip", StringComparison.Ordinal) && int.TryParse(chip.AsSpan(8), out int n1)) wanted = n1;
        else if (int.TryParse(chip, out int n2)) wanted = n2;
        foreach (var c in chips)
        {
            if ((wanted is int w && c.Number == w) || (wanted is null && c.Label == chip))
            {
                info = c;
                reason = "";
                return true;
            }
        }
        reason = $"GPIO chip '{chip}' not found; present: {string.Join(", ", chips.Select(c => $"{c.Name} ('{c.Label}', {c.Lines} lines)"))}";
        return false;
    }

    private static unsafe bool TryRead(string path, out string name, out string label, out int lines)
    {
        name = label = "";
        lines = 0;
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) return false;
        try
        {
            byte* buf = stackalloc byte[68];
            new Span<byte>(buf, 68).Clear();
            if (Libc.ioctl(fd, GetChipInfo, buf) < 0) return false;
            var span = new ReadOnlySpan<byte>(buf, 68);
            name = CString(span[..32]);
            label = CString(span.Slice(32, 32));
            lines = (int)BitConverter.ToUInt32(span[64..]);
            return true;
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static string CString(ReadOnlySpan<byte> s)
    {
        int nul = s.IndexOf((byte)0);
        return Encoding.ASCII.GetString(nul >= 0 ? s[..nul] : s);
    }
}
