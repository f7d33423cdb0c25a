using EdgeNode.Agent.Platform;

namespace EdgeNode.Agent.Tests.Fakes;

/// <summary>Unit-test store: named records in a dictionary (shared between "boots" of an agent in one test).</summary>
internal sealed class InMemoryDurableStore : IDurableStore
{
    private readonly Dictionary<string, byte[]> _records = [];

    public int Saves { get; private set; }

    public bool TryLoad(string name, out byte[] data)
    {
        lock (_records)
        {
            if (_records.TryGetValue(name, out var stored))
            {
                data = stored.ToArray();
                return true;
            }
        }

        data = [];
        return false;
    }

    public void Save(string name, ReadOnlySpan<byte> data)
    {
        lock (_records)
        {
            _records[name] = data.ToArray();
            Saves++;
        }
    }
}
