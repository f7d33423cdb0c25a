using System.Collections.Concurrent;
using EdgeNode.Link.Dtls;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>An in-memory <see cref="IPskKeyStore"/> that hands out its own arrays (as a careless store would):
/// the transport must copy them, or BouncyCastle's clearing breaks the next handshake.</summary>
internal sealed class TestKeyStore : IPskKeyStore
{
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public TestKeyStore Add(string identity, byte[] key)
    {
        _keys[identity] = key;
        return this;
    }

    public void Remove(string identity) => _keys.TryRemove(identity, out _);

    public byte[]? GetKey(string identity)
    {
        Interlocked.Increment(ref _lookups);
        return _keys.TryGetValue(identity, out var key) ? key : null;
    }
}
