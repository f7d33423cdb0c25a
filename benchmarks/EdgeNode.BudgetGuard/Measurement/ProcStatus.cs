using System.Globalization;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>Resident memory of a process from <c>/proc/PID/status</c>, in bytes: VmRSS = RssAnon + RssFile + RssShmem,
/// VmHWM the peak.</summary>
public sealed record ProcStatus(long VmRss, long VmHwm, long RssAnon, long RssFile, long RssShmem)
{
    public static ProcStatus Read(int pid) => Parse(File.ReadAllText($"/proc/{pid}/status"), pid);

    /// <summary>Parses the text of a status file; a missing field is an error naming the process and the field.</summary>
    public static ProcStatus Parse(string text, int pid)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            string value = line[(colon + 1)..].Trim();
            if (value.EndsWith(" kB", StringComparison.Ordinal) &&
                long.TryParse(value[..^3].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
            {
                fields[line[..colon]] = kb * 1024;
            }
        }

        long Field(string name) => fields.TryGetValue(name, out long v)
            ? v
            : throw new InvalidDataException($"/proc/{pid}/status has no {name} line");

        return new ProcStatus(Field("VmRSS"), Field("VmHWM"), Field("RssAnon"), Field("RssFile"), Field("RssShmem"));
    }

    public string Describe() =>
        $"VmRSS {Mb(VmRss)}, RssAnon {Mb(RssAnon)}, RssFile {Mb(RssFile)}, RssShmem {Mb(RssShmem)}, VmHWM {Mb(VmHwm)}";

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
