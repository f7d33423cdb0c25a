using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Specs;

/// <summary>
/// App fields as written in YAML; null = not mentioned. A base or added app is a patch applied to an empty
/// app (image required); an overlay's <c>set:</c> entry is a patch applied to the app inherited so far.
/// </summary>
public sealed class AppPatch
{
    public required string Name { get; init; }
    public required SourceRef Source { get; init; }
    public string? Image { get; set; }
    /// <summary>Replaces only the tag of the inherited image (Kustomize's newTag).</summary>
    public string? Tag { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Entrypoint { get; set; }
    /// <summary>Merged key by key; a null value removes the key.</summary>
    public Dictionary<string, string?>? Env { get; set; }
    public Dictionary<string, string?>? Labels { get; set; }
    public List<PortMapping>? Ports { get; set; }
    public List<VolumeMount>? Volumes { get; set; }
    public RestartPolicy? Restart { get; set; }
    public PullPolicy? Pull { get; set; }
    public PriorityClass? Priority { get; set; }
    public ulong? MemoryLimitBytes { get; set; }
    public ulong? MemoryReservationBytes { get; set; }
    public uint? CpuMillis { get; set; }
    public HealthCheck? Health { get; set; }

    public void ApplyTo(AppSpec app)
    {
        if (Image is not null)
        {
            app.Image = Image;
        }

        if (Tag is not null)
        {
            app.Image = WithTag(app.Image, Tag);
        }

        if (Command is not null)
        {
            app.Command = [.. Command];
        }

        if (Entrypoint is not null)
        {
            app.Entrypoint = [.. Entrypoint];
        }

        if (Env is not null)
        {
            app.Env = Merge(app.Env, Env);
        }

        if (Labels is not null)
        {
            app.Labels = Merge(app.Labels, Labels);
        }

        if (Ports is not null)
        {
            app.Ports = [.. Ports];
        }

        if (Volumes is not null)
        {
            app.Volumes = [.. Volumes];
        }

        app.Restart = Restart ?? app.Restart;
        app.Pull = Pull ?? app.Pull;
        app.Priority = Priority ?? app.Priority;
        app.MemoryLimitBytes = MemoryLimitBytes ?? app.MemoryLimitBytes;
        app.MemoryReservationBytes = MemoryReservationBytes ?? app.MemoryReservationBytes;
        app.CpuMillis = CpuMillis ?? app.CpuMillis;
        app.Health = Health ?? app.Health;
    }

    /// <summary>"registry:5000/team/web:1.2" + "1.3" → "registry:5000/team/web:1.3" (a digest is dropped).</summary>
    public static string WithTag(string image, string tag)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            image = image[..at];
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        var repo = colon > slash ? image[..colon] : image;
        return repo + ":" + tag;
    }

    private static List<KeyValue> Merge(List<KeyValue> current, Dictionary<string, string?> patch)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in current)
        {
            map[kv.Key] = kv.Value;
        }

        foreach (var (k, v) in patch)
        {
            if (v is null)
            {
                map.Remove(k);
            }
            else
            {
                map[k] = v;
            }
        }

        return [.. map.Select(kv => new KeyValue(kv.Key, kv.Value))];
    }
}
