namespace EdgeNode.Hub.Specs;

/// <summary>A whole parsed spec directory: base apps, group overlays and sites.</summary>
public sealed class SpecDocument
{
    public List<AppPatch> BaseApps { get; } = [];
    public Dictionary<string, (Overlay Overlay, SourceRef Source)> Groups { get; } = new(StringComparer.Ordinal);
    public List<SiteSpec> Sites { get; } = [];
}
