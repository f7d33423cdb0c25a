namespace EdgeNode.Agent.Link;

/// <summary>A hub response: the CoAP code as class.detail (e.g. 2.04 = <c>(2 &lt;&lt; 5) | 4</c>) and the payload.</summary>
public readonly record struct HubReply(byte Code, ReadOnlyMemory<byte> Payload)
{
    public int Class => Code >> 5;

    public int Detail => Code & 0x1F;

    public bool IsSuccess => Class == 2;

    public override string ToString() => $"{Class}.{Detail:00}";

    public static byte MakeCode(int @class, int detail) => (byte)((@class << 5) | detail);
}
