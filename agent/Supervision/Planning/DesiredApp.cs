using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>A validated app of the desired state with its spec hash computed once.</summary>
public sealed record DesiredApp(AppSpec Spec, string Hash)
{
    public string Name => Spec.Name;

    /// <summary>The image reference in normalized form (<see cref="Images.ImageReference.Normalize"/>).</summary>
    public string NormalizedImage { get; } = Images.ImageReference.Normalize(Spec.Image);

    public static DesiredApp From(AppSpec spec) => new(spec, SpecHash.Compute(spec));
}
