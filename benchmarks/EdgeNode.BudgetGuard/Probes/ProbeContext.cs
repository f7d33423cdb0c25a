using System.Globalization;
using EdgeNode.BudgetGuard.Budgets;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>What a probe gets: the repository root (relative paths resolve against it), the entry it measures
/// (unit, parameters) and a log for progress lines.</summary>
public sealed class ProbeContext(string repoRoot, BudgetEntry entry, TextWriter log)
{
    public string RepoRoot { get; } = repoRoot;

    public BudgetEntry Entry { get; } = entry;

    public TextWriter Log { get; } = log;

    public string Unit => Entry.Unit;

    public string? Parameter(string name) => Entry.Parameters.TryGetValue(name, out var v) ? v : null;

    public string PathParameter(string name, string fallback)
    {
        string value = Parameter(name) ?? fallback;
        return Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(RepoRoot, value));
    }

    public int IntParameter(string name, int fallback)
    {
        string? text = Parameter(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v
            : throw new BudgetFileException($"budget '{Entry.Id}': parameter \"{name}\" must be a positive integer, not '{text}'");
    }

    /// <summary>Converts a byte count into the entry's unit (B, kB, KiB, MB, MiB, GB, GiB).</summary>
    public double FromBytes(double bytes) => Units.FromBytes(bytes, Unit, Entry.Id);
}
