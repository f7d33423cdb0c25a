namespace EdgeNode.Hub.Specs;

/// <summary>Kustomize-like changes on top of what a slot inherited: remove apps, add apps, set fields.</summary>
public sealed class Overlay
{
    public static readonly Overlay Empty = new();

    /// <summary>Field overrides per existing app.</summary>
    public List<AppPatch> Set { get; } = [];

    /// <summary>New apps (full definitions).</summary>
    public List<AppPatch> Add { get; } = [];

    /// <summary>Apps to drop, with where each was named.</summary>
    public List<(string App, SourceRef Source)> Remove { get; } = [];
}
