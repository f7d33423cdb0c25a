using System.Text;
using EdgeNode.Link.Dtls;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>One identity and key for the loopback DTLS server the probes start.</summary>
public sealed class PskKeys(string identity, string key) : IPskKeyStore
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public byte[]? GetKey(string identity1) => identity1 == identity ? (byte[])_key.Clone() : null;
}
