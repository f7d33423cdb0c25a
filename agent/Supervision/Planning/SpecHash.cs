using Org.BouncyCastle.Crypto.Digests;
using System.Text;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>
/// SHA-256 (hex) of the canonical form of the parts of an <see cref="AppSpec"/> that shape the container: image,
/// command, entrypoint, env and labels (sorted by key), ports, volumes, limits and health check. Priority, restart and
/// pull policy are left out: the supervisor applies them without recreating the container.
/// </summary>
public static class SpecHash
{
    public static string Compute(AppSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var b = new StringBuilder(256);
        Field(b, "name", spec.Name);
        Field(b, "image", spec.Image);
        List(b, "cmd", spec.Command);
        List(b, "entrypoint", spec.Entrypoint);
        Pairs(b, "env", spec.Env);
        foreach (var p in spec.Ports)
            Field(b, "port", $"{p.HostIp}|{p.HostPort}|{p.ContainerPort}|{(string.IsNullOrEmpty(p.Protocol) ? "tcp" : p.Protocol)}");
        foreach (var v in spec.Volumes)
            Field(b, "volume", $"{v.Source}|{v.Target}|{v.ReadOnly}");
        Field(b, "mem", spec.MemoryLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(b, "memres", spec.MemoryReservationBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(b, "cpu", spec.CpuMillis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Pairs(b, "label", spec.Labels);
        if (spec.Health is { } h)
        {
            List(b, "health", h.Test);
            Field(b, "health-timing", $"{h.IntervalMs}|{h.TimeoutMs}|{h.Retries}|{h.StartPeriodMs}");
        }
        // SHA-256 from BouncyCastle (managed, already linked for DTLS): the platform's SHA256 would load OpenSSL
        // into the agent for this one hash (see link/Security/KernelRandom.cs).
        var digest = new byte[32];
        var sha = new Sha256Digest();
        var bytes = Encoding.UTF8.GetBytes(b.ToString());
        sha.BlockUpdate(bytes, 0, bytes.Length);
        sha.DoFinal(digest, 0);
        return Convert.ToHexStringLower(digest);
    }

    // Length-prefixed so that no two different specs share a canonical form.
    private static void Field(StringBuilder b, string key, string value) =>
        b.Append(key).Append(':').Append(value.Length).Append(':').Append(value).Append('\n');

    private static void List(StringBuilder b, string key, List<string> values)
    {
        b.Append(key).Append('#').Append(values.Count).Append('\n');
        foreach (var v in values) Field(b, key, v);
    }

    private static void Pairs(StringBuilder b, string key, List<KeyValue> pairs)
    {
        b.Append(key).Append('#').Append(pairs.Count).Append('\n');
        foreach (var kv in pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            Field(b, key, kv.Key + "=" + kv.Value);
    }
}
