using System.Text.Json;
using EdgeNode.Agent.Link;
using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// What the agent keeps across reboots, in the durable store: its identity, the last desired state it accepted
/// (exactly the bytes the hub sent), and a generated hardware id when the machine has none.
/// </summary>
public sealed class AgentStateRepository
{
    public const string IdentityRecordName = "identity";
    public const string RefusedIdentityRecordName = "identity-refused";
    public const string DesiredStateRecordName = "desired-state";
    public const string HardwareIdRecordName = "hardware-id";

    private readonly IDurableStore _store;

    public AgentStateRepository(IDurableStore store) => _store = store;

    public DeviceIdentity? LoadIdentity() => Load(IdentityRecordName);

    private DeviceIdentity? Load(string name)
    {
        if (!_store.TryLoad(name, out var bytes))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize(bytes, StateJsonContext.Default.IdentityRecord);
            if (record is null || record.DeviceId.Length == 0)
            {
                return null;
            }

            return new DeviceIdentity(record.DeviceId, Convert.FromBase64String(record.Psk), record.Slot);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidDataException($"state record '{name}' is not a valid identity: {e.Message}", e);
        }
    }

    public void SaveIdentity(DeviceIdentity identity) => Save(IdentityRecordName, identity);

    /// <summary>
    /// Sets a refused identity aside: it is kept as record <see cref="RefusedIdentityRecordName"/> (for an audit or a
    /// manual restore) and the current identity is cleared, so the next start of the link enrolls again. Each step is
    /// durable; a crash between them leaves the identity in place, and the next refusals repeat this.
    /// </summary>
    public void SetIdentityAside(DeviceIdentity refused)
    {
        Save(RefusedIdentityRecordName, refused);
        _store.Save(IdentityRecordName, JsonSerializer.SerializeToUtf8Bytes(new IdentityRecord(), StateJsonContext.Default.IdentityRecord));
    }

    /// <summary>The last identity set aside by <see cref="SetIdentityAside"/>, if any.</summary>
    public DeviceIdentity? LoadRefusedIdentity() => Load(RefusedIdentityRecordName);

    private void Save(string name, DeviceIdentity identity)
    {
        var record = new IdentityRecord { DeviceId = identity.DeviceId, Psk = Convert.ToBase64String(identity.Psk), Slot = identity.Slot };
        _store.Save(name, JsonSerializer.SerializeToUtf8Bytes(record, StateJsonContext.Default.IdentityRecord));
    }

    /// <summary>The last persisted desired state, or null on a fresh unit.</summary>
    public DesiredState? LoadDesiredState() =>
        _store.TryLoad(DesiredStateRecordName, out var bytes) ? Wire.Decode<DesiredState>(bytes, $"state record '{DesiredStateRecordName}'") : null;

    public void SaveDesiredState(ReadOnlySpan<byte> raw) => _store.Save(DesiredStateRecordName, raw);

    public void SaveDesiredState(DesiredState state) => _store.Save(DesiredStateRecordName, Wire.Encode(state));

    /// <summary>The configured id, else /etc/machine-id, else a random id generated once and kept in the store.</summary>
    public string ResolveHardwareId(string? configured, string machineIdPath = "/etc/machine-id")
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        try
        {
            var machineId = File.Exists(machineIdPath) ? File.ReadAllText(machineIdPath).Trim() : "";
            if (machineId.Length > 0 && machineId != "uninitialized")
            {
                return machineId;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        if (_store.TryLoad(HardwareIdRecordName, out var stored) && stored.Length > 0)
        {
            return System.Text.Encoding.UTF8.GetString(stored);
        }

        var generated = Convert.ToHexStringLower(EdgeNode.Link.Security.KernelRandom.GetBytes(16));
        _store.Save(HardwareIdRecordName, System.Text.Encoding.UTF8.GetBytes(generated));
        return generated;
    }
}
