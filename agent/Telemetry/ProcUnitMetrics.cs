using System.Globalization;

namespace EdgeNode.Agent.Telemetry;

/// <summary>
/// Reads /proc/uptime, /proc/stat (CPU busy share since the previous sample), /proc/meminfo
/// (MemTotal − MemAvailable), the free space of the state directory's file system, and
/// /sys/class/thermal/thermal_zone0/temp. Anything unreadable reads as 0.
/// </summary>
public sealed class ProcUnitMetrics : IUnitMetrics
{
    private readonly string _stateDirectory;
    private ulong _lastBusy;
    private ulong _lastTotal;

    public ProcUnitMetrics(string stateDirectory) => _stateDirectory = stateDirectory;

    public UnitSample Sample() => new(Uptime(), Cpu(), MemoryUsed(), DiskFree(), Temperature());

    private static uint Uptime()
    {
        var text = ReadOrEmpty("/proc/uptime");
        var space = text.IndexOf(' ');
        return space > 0 && double.TryParse(text.AsSpan(0, space), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? (uint)s : 0;
    }

    private uint Cpu()
    {
        var text = ReadOrEmpty("/proc/stat");
        var end = text.IndexOf('\n');
        if (!text.StartsWith("cpu ", StringComparison.Ordinal) || end < 0)
        {
            return 0;
        }

        ulong total = 0, idle = 0;
        var i = 0;
        foreach (var part in text[4..end].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ulong.TryParse(part, out var v))
            {
                break;
            }

            total += v;
            if (i is 3 or 4)
            {
                idle += v; // idle + iowait
            }

            i++;
        }

        var busy = total - idle;
        var dTotal = total - _lastTotal;
        var dBusy = busy - _lastBusy;
        _lastTotal = total;
        _lastBusy = busy;
        return dTotal == 0 || dBusy > dTotal ? 0 : (uint)(dBusy * 1000 / dTotal);
    }

    private static uint MemoryUsed()
    {
        ulong total = 0, available = 0;
        foreach (var line in ReadOrEmpty("/proc/meminfo").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = Kb(line);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = Kb(line);
            }
        }

        return total > available ? (uint)((total - available) / 1024) : 0;

        static ulong Kb(string line) =>
            ulong.TryParse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), out var v) ? v : 0;
    }

    private uint DiskFree()
    {
        try
        {
            return (uint)Math.Min(uint.MaxValue, new DriveInfo(_stateDirectory).AvailableFreeSpace / (1024 * 1024));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    private static int Temperature() =>
        int.TryParse(ReadOrEmpty("/sys/class/thermal/thermal_zone0/temp").Trim(), out var milli) ? milli / 1000 : 0;

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
