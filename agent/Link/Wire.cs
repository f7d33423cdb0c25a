using EdgeNode.Link.Contracts;
using EdgeNode.Link.Contracts.Codec;

namespace EdgeNode.Agent.Link;

/// <summary>
/// Protobuf encode/decode through <see cref="LinkCodecs"/> (table-driven, no reflection: the agent's native-AOT
/// publish has zero trim warnings and carries no protobuf-net code). Same bytes as the hub's protobuf-net model.
/// </summary>
internal static class Wire
{
    public static byte[] Encode<T>(T value)
        where T : class =>
        LinkCodecs.For<T>().Encode(value);

    /// <summary>Decodes <typeparamref name="T"/>; malformed bytes throw <see cref="InvalidDataException"/> naming the message.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> payload, string what)
        where T : class
    {
        try
        {
            return LinkCodecs.For<T>().Decode(payload.Span);
        }
        catch (ContractFormatException e)
        {
            throw new InvalidDataException($"{what}: malformed protobuf ({payload.Length} bytes): {e.Message}", e);
        }
    }
}
