namespace EdgeNode.Hub.Specs;

/// <summary>A desired-state spec that cannot be used: names the file, the line (1-based, 0 = whole file) and the reason.</summary>
public sealed class SpecException(string file, int line, int column, string reason)
    : Exception($"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Reason { get; } = reason;
}
