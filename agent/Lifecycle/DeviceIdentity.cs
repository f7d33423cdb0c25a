namespace EdgeNode.Agent.Lifecycle;

/// <summary>The unit's own identity, issued by the hub at enrollment and kept in the durable store.</summary>
public sealed record DeviceIdentity(string DeviceId, byte[] Psk, string Slot)
{
    public override string ToString() => $"{DeviceId} (slot {(Slot.Length == 0 ? "?" : Slot)})";
}
