namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>One datagram seen by a <see cref="UdpRelay"/>.</summary>
public sealed record CapturedDatagram(RelayDirection Direction, byte[] Bytes)
{
    public int Length => Bytes.Length;
}
