using EdgeNode.Hal.Power;
using EdgeNode.Hal.Storage;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary><see cref="IDurableStore"/> over the HAL's <see cref="DurableStore"/> (one two-generation CRC'd store per record name).</summary>
public sealed class HalDurableStore : IDurableStore
{
    private readonly string _directory;
    private readonly PowerFailGuard? _guard;
    private readonly Dictionary<string, DurableStore> _stores = [];
    private readonly Lock _lock = new();

    public HalDurableStore(string directory, PowerFailGuard? guard = null)
    {
        _directory = directory;
        _guard = guard;
    }

    public bool TryLoad(string name, out byte[] data)
    {
        lock (_lock)
        {
            if (Store(name).TryLoad(out var value, out _))
            {
                data = value.ToArray();
                return true;
            }
        }

        data = [];
        return false;
    }

    public void Save(string name, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            Store(name).Save(data);
        }
    }

    private DurableStore Store(string name)
    {
        if (!_stores.TryGetValue(name, out var store))
        {
            store = DurableStore.Open(_directory, name, _guard);
            _stores[name] = store;
        }

        return store;
    }
}
