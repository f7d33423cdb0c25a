namespace EdgeNode.Agent.Link;

/// <summary>The hub answered with an error code (4.xx/5.xx); <see cref="Reason"/> is its ErrorBody text.</summary>
public sealed class HubRequestException : Exception
{
    public HubRequestException(string path, HubReply reply, string reason)
        : base($"hub answered {reply} to {path}: {(reason.Length == 0 ? "no reason given" : reason)}")
    {
        Path = path;
        Code = reply.Code;
        Reason = reason;
    }

    public string Path { get; }

    public byte Code { get; }

    public string Reason { get; }

    /// <summary>4.01 unknown identity or 4.03 revoked / not approved: retrying the same identity will not help soon.</summary>
    public bool IsIdentityRefused => Code is 0x81 or 0x83;
}
