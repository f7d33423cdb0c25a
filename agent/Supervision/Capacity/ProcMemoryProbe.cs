using System.Globalization;

namespace EdgeNode.Agent.Supervision.Capacity;

/// <summary>
/// Reads <c>/proc/meminfo</c> (MemTotal, MemAvailable) and <c>/proc/pressure/memory</c> ("some avg10=").
/// A missing or unreadable PSI file gives a null pressure (PSI needs a kernel with CONFIG_PSI; absent here on cgroup v1);
/// an unreadable meminfo gives zeros, which the capacity monitor treats as "unknown".
/// </summary>
public sealed class ProcMemoryProbe : IMemoryProbe
{
    private readonly string _meminfo;
    private readonly string _pressure;

    public ProcMemoryProbe(string meminfoPath = "/proc/meminfo", string pressurePath = "/proc/pressure/memory")
    {
        _meminfo = meminfoPath;
        _pressure = pressurePath;
    }

    public MemorySample Read()
    {
        ulong total = 0, available = 0;
        try
        {
            foreach (var line in File.ReadLines(_meminfo))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) total = ParseKb(line);
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)) available = ParseKb(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return new MemorySample(total, available, ReadPressure());
    }

    private double? ReadPressure()
    {
        try
        {
            if (!File.Exists(_pressure)) return null;
            foreach (var line in File.ReadLines(_pressure))
                if (ParsePressureLine(line) is { } value) return value;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>"some avg10=1.23 avg60=0.50 avg300=0.10 total=12345" → 1.23; other lines → null.</summary>
    public static double? ParsePressureLine(string line)
    {
        if (!line.StartsWith("some ", StringComparison.Ordinal)) return null;
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (part.StartsWith("avg10=", StringComparison.Ordinal)
                && double.TryParse(part.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                return v;
        return null;
    }

    /// <summary>"MemAvailable:   123456 kB" → bytes.</summary>
    public static ulong ParseKb(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }
}
