using System.Globalization;
using EdgeNode.Hub.Fleet;

namespace EdgeNode.Hub.Rollouts;

/// <summary>Splits the participating slots into waves (a pure function of the slot list and the wave sizes).</summary>
public static class RolloutPlanner
{
    public static readonly IReadOnlyList<string> DefaultWaves = ["1", "10%", "rest"];

    /// <summary>Returns the wave sizes actually used (one per non-empty wave) and the slots of each wave, in order.</summary>
    public static (List<string> Sizes, List<List<string>> Waves) Plan(IReadOnlyList<string> slots, IReadOnlyList<string>? sizes)
    {
        sizes = sizes is { Count: > 0 } ? sizes : DefaultWaves;
        var usedSizes = new List<string>();
        var waves = new List<List<string>>();
        var next = 0;
        foreach (var raw in sizes)
        {
            var size = Size(raw, slots.Count, slots.Count - next);
            if (size > 0 && next < slots.Count)
            {
                size = Math.Min(size, slots.Count - next);
                waves.Add([.. slots.Skip(next).Take(size)]);
                usedSizes.Add(raw.Trim());
                next += size;
            }
        }

        if (next < slots.Count)
        {
            waves.Add([.. slots.Skip(next)]);
            usedSizes.Add("rest");
        }

        return (usedSizes, waves);
    }

    private static int Size(string raw, int total, int remaining)
    {
        var s = (raw ?? "").Trim();
        if (s.Equals("rest", StringComparison.OrdinalIgnoreCase))
        {
            return remaining;
        }

        if (s.EndsWith('%') && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent > 0 && percent <= 100)
        {
            return (int)Math.Ceiling(total * percent / 100.0);
        }

        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            return count;
        }

        throw FleetException.Invalid($"wave size '{raw}' is invalid (expected a count like 1, a percentage like 10%, or rest)");
    }
}
