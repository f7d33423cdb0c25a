namespace EdgeNode.Hal.Power;

/// <summary>A write was refused because supply power is failing (see <see cref="PowerFailGuard"/>).</summary>
public sealed class WritesSuspendedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public WritesSuspendedException(string resource, DateTimeOffset? since)
        : base($"{resource}: writes are suspended since power failed{(since is { } t ? $" at {t:O}" : "")}")
    {
        Resource = resource;
    }

    /// <summary>The file or store that was not written.</summary>
    public string Resource { get; }
}
