namespace EdgeNode.Hub.Fleet;

/// <summary>A plant or location. The tenant lives here; every slot and device is reached through its site.</summary>
public sealed class Site
{
    public required string Name { get; init; }
    public required string TenantId { get; init; }
    public IReadOnlyList<string> Groups { get; set; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
}
