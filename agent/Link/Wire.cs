using System.Diagnostics.CodeAnalysis;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Link;

/// <summary>Protobuf encode/decode through the source-generated <see cref="LinkContracts"/> model (AOT-safe).</summary>
internal static class Wire
{
    public static byte[] Encode<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(T value)
    {
        using var stream = new MemoryStream();
        LinkContracts.Instance.Serialize(stream, value);
        return stream.ToArray();
    }

    /// <summary>Decodes <typeparamref name="T"/>; malformed bytes throw <see cref="InvalidDataException"/> naming the message.</summary>
    public static T Decode<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(ReadOnlyMemory<byte> payload, string what)
    {
        try
        {
            return LinkContracts.Instance.Deserialize<T>(payload);
        }
        catch (Exception e) when (e is ProtoBuf.ProtoException or EndOfStreamException or InvalidOperationException or OverflowException)
        {
            throw new InvalidDataException($"{what}: malformed protobuf ({payload.Length} bytes): {e.Message}", e);
        }
    }
}
