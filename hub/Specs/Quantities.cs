using System.Globalization;

namespace EdgeNode.Hub.Specs;

/// <summary>Docker/Kubernetes-style quantities in YAML: memory "128Mi", CPU "500m" or "0.5", durations "10s".</summary>
public static class Quantities
{
    public static ulong ParseBytes(string text)
    {
        (string Suffix, ulong Factor)[] units =
        [
            ("Ki", 1UL << 10), ("Mi", 1UL << 20), ("Gi", 1UL << 30),
            ("k", 1000), ("K", 1000), ("M", 1000_000), ("G", 1000_000_000),
            ("kb", 1000), ("mb", 1000_000), ("gb", 1000_000_000),
        ];
        foreach (var (suffix, factor) in units.OrderByDescending(u => u.Suffix.Length))
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return (ulong)(n * factor);
            }
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new FormatException($"'{text}' is not a memory size (e.g. 128Mi, 1Gi, 64M, or bytes)");
    }

    public static uint ParseCpuMillis(string text)
    {
        if (text.EndsWith('m') && uint.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
        {
            return millis;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores) && cores <= 1024
            ? (uint)(cores * 1000)
            : throw new FormatException($"'{text}' is not a CPU amount (e.g. 500m or 0.5 cores)");
    }

    public static uint ParseDurationMs(string text)
    {
        (string Suffix, uint Factor)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return (uint)(n * factor);
            }
        }

        throw new FormatException($"'{text}' is not a duration (e.g. 500ms, 10s, 2m)");
    }
}
