namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// One field of a contract message: its number, the C# member it maps to, and how it is measured, written and read.
/// The write rules match protobuf-net's generated model byte for byte (tests compare both): numbers, enums and bools
/// only when not zero/false; strings, bytes and nested messages whenever not null (also when empty); repeated strings
/// and messages one field per element; a packed list whenever not null (also when empty).
/// </summary>
public abstract class FieldCodec<TMessage>
    where TMessage : class
{
    private protected FieldCodec(int number, string member, ProtoWireType wireType)
    {
        Number = number;
        Member = member;
        WireType = wireType;
    }

    public int Number { get; }

    /// <summary>The C# property of <typeparamref name="TMessage"/> this field maps to.</summary>
    public string Member { get; }

    /// <summary>The wire type this field is written with.</summary>
    public ProtoWireType WireType { get; }

    /// <summary>Bytes this field takes in <paramref name="message"/> (key included; 0 when it is not written).</summary>
    internal abstract int Measure(TMessage message);

    internal abstract void Write(ref ProtoSpanWriter writer, TMessage message);

    /// <summary>Reads one occurrence of the field (its key already read) into <paramref name="message"/>.</summary>
    internal abstract void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName);

    private string? _description;

    /// <summary>
    /// "Message.Member (field N)", for errors. Built once: every read passes it to the reader, and building it per read
    /// cost ~80 B a field (968 B a heartbeat decode). A field is created by, and belongs to, one message's
    /// <see cref="FieldTable{TMessage}"/>, so the name never changes; two threads racing here build the same string.
    /// </summary>
    private protected string Describe(string messageName) => _description ??= $"{messageName}.{Member} (field {Number})";

    private protected void ExpectWireType(ref ProtoSpanReader reader, ProtoWireType actual, ProtoWireType expected, string messageName)
    {
        if (actual != expected)
        {
            int at = reader.Offset;
            ProtoSpanReader.Throw($"{Describe(messageName)}: wire type {(int)actual} before byte {at}, expected {(int)expected} ({expected})", at);
        }
    }
}
