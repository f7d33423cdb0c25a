namespace EdgeNode.Agent.Supervision.Images;

/// <summary>Normalizes image references so that <c>busybox</c>, <c>busybox:latest</c> and <c>docker.io/library/busybox:latest</c> compare equal.</summary>
public static class ImageReference
{
    public static string Normalize(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var r = reference.Trim();
        if (r.Contains('@')) return r; // digest references are exact
        var lastSlash = r.LastIndexOf('/');
        var lastColon = r.LastIndexOf(':');
        if (lastColon <= lastSlash) r += ":latest";
        if (r.StartsWith("docker.io/", StringComparison.Ordinal)) r = r["docker.io/".Length..];
        if (r.StartsWith("index.docker.io/", StringComparison.Ordinal)) r = r["index.docker.io/".Length..];
        if (r.StartsWith("library/", StringComparison.Ordinal)) r = r["library/".Length..];
        return r;
    }

    /// <summary>Splits into (name, tag) for the pull API; digests keep their "@sha256:..." in the name part.</summary>
    public static (string Name, string Tag) Split(string reference)
    {
        var r = reference.Trim();
        if (r.Contains('@')) return (r, "");
        var lastSlash = r.LastIndexOf('/');
        var lastColon = r.LastIndexOf(':');
        return lastColon > lastSlash ? (r[..lastColon], r[(lastColon + 1)..]) : (r, "latest");
    }
}
