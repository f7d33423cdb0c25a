namespace EdgeNode.BudgetGuard.Probes;

/// <summary>Size of a file on disk (e.g. the AOT agent binary). Parameter <c>path</c>, relative to the repo root.
/// A missing file is "not measured" with the command that produces it (parameter <c>producedBy</c>).</summary>
public sealed class FileSizeProbe : IProbe
{
    public string Name => "file-size";

    public Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        string path = context.PathParameter("path", "");
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            string producedBy = context.Parameter("producedBy") is { } p ? $" (produced by {p})" : "";
            return Task.FromResult(ProbeResult.NotMeasured($"{Path.GetRelativePath(context.RepoRoot, path)} does not exist{producedBy}"));
        }

        return Task.FromResult(ProbeResult.Measured(context.FromBytes(info.Length), $"{info.Length:N0} bytes"));
    }
}
