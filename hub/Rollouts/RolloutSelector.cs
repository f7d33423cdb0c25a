namespace EdgeNode.Hub.Rollouts;

/// <summary>Which slots take part in a rollout: all given conditions must hold (none given = every changed slot).</summary>
public sealed record RolloutSelector(string? Site = null, IReadOnlyDictionary<string, string>? Labels = null, IReadOnlyList<string>? Slots = null)
{
    public static readonly RolloutSelector All = new();

    public bool Matches(string path, string site, IReadOnlyDictionary<string, string> labels)
    {
        if (Site is not null && Site != site)
        {
            return false;
        }

        if (Slots is { Count: > 0 } slots && !slots.Contains(path, StringComparer.Ordinal))
        {
            return false;
        }

        foreach (var (k, v) in Labels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(k, out var have) || have != v)
            {
                return false;
            }
        }

        return true;
    }
}
