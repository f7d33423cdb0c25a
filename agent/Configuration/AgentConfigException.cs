namespace EdgeNode.Agent.Configuration;

/// <summary>
/// The configuration cannot be used. The message names the file, the key (when there is one) and the reason,
/// in the words a technician reads in <c>journalctl -u edgenode-agent</c>. The agent exits with
/// <see cref="Hosting.AgentExitCode.Config"/> (78, shown by systemd as status=78/CONFIG).
/// </summary>
public sealed class AgentConfigException : Exception
{
    public AgentConfigException(string file, string? key, string reason, Exception? inner = null)
        : base(Format(file, key, reason), inner)
    {
        File = file;
        Key = key;
        Reason = reason;
    }

    public string File { get; }

    /// <summary>The key as a dotted path (e.g. "hub.port"), or null when the problem is the whole file.</summary>
    public string? Key { get; }

    public string Reason { get; }

    private static string Format(string file, string? key, string reason) =>
        key is null ? $"config {file}: {reason}" : $"config {file}: key '{key}': {reason}";
}
