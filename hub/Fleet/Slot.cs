using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Fleet;

/// <summary>
/// A place for one unit (site/line/cell). It keeps the desired state, so a swapped-in unit runs the same apps.
/// It keeps its current AND previous generation so that a rollout can move it back.
/// </summary>
public sealed class Slot
{
    public required string Path { get; init; }
    public required string SiteName { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    /// <summary>False when the last applied spec no longer declares this slot (it keeps its last state).</summary>
    public bool InSpec { get; set; } = true;

    /// <summary>The current generation's state (Generation set), or an empty state with generation 0.</summary>
    public DesiredState Current { get; set; } = new();

    /// <summary>The serialized <see cref="Current"/>, served by GET /ds.</summary>
    public byte[] CurrentBytes { get; set; } = [];

    public ulong CurrentGeneration => Current.Generation;

    public ulong PreviousGeneration { get; set; }

    /// <summary>The highest generation ever stored for this slot (new generations count up from it).</summary>
    public ulong LatestGeneration { get; set; }

    /// <summary>The active device bound to the slot, if any.</summary>
    public string? DeviceId { get; set; }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (k, v) in labels)
        {
            if (!Labels.TryGetValue(k, out var have) || have != v)
            {
                return false;
            }
        }

        return true;
    }
}
