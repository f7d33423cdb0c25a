namespace EdgeNode.Hub.Specs;

/// <summary>Where something was declared, for error messages.</summary>
public readonly record struct SourceRef(string File, int Line, int Column)
{
    public SpecException Error(string reason) => new(File, Line, Column, reason);
}
