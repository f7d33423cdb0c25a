namespace EdgeNode.Hub.Specs;

/// <summary>sites/&lt;site&gt;.yaml: the groups it belongs to, its overlay and its slots.</summary>
public sealed class SiteSpec
{
    public required string Name { get; init; }
    public required SourceRef Source { get; init; }
    public List<(string Group, SourceRef Source)> Groups { get; } = [];
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
    public Overlay Overlay { get; set; } = Overlay.Empty;
    public List<SlotSpec> Slots { get; } = [];
}
