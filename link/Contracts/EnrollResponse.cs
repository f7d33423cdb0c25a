using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class EnrollResponse
{
    [ProtoMember(1)] public EnrollStatus Status { get; set; }
    /// <summary>The device identity: used as the PSK identity from now on.</summary>
    [ProtoMember(2)] public string DeviceId { get; set; } = "";
    /// <summary>The per-device pre-shared key (only in an Approved response, only over DTLS).</summary>
    [ProtoMember(3)] public byte[] Psk { get; set; } = [];
    [ProtoMember(4)] public string Slot { get; set; } = "";
    /// <summary>When Pending: ask again after this many seconds.</summary>
    [ProtoMember(5)] public uint RetryAfterSeconds { get; set; }
    [ProtoMember(6)] public string Reason { get; set; } = "";
}
