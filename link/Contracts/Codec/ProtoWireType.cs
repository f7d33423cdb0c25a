namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// The wire type in the low 3 bits of every protobuf field key (<c>key = field_number &lt;&lt; 3 | wire_type</c>).
/// Groups (3, 4) are not used by edgenode.proto and are rejected.
/// </summary>
public enum ProtoWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
