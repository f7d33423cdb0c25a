namespace EdgeNode.Hub.Specs;

/// <summary>One slot under a site: "line/cell" (full path "site/line/cell"), labels, and an optional overlay.</summary>
public sealed class SlotSpec
{
    public required string Key { get; init; }
    public required SourceRef Source { get; init; }
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
    public Overlay Overlay { get; set; } = Overlay.Empty;
}
