using System.Text;

namespace EdgeNode.Link.Contracts.Codec;

/// <summary>string: UTF-8, written whenever not null (also when empty).</summary>
internal sealed class StringField<TMessage>(int number, string member, Func<TMessage, string?> get, Action<TMessage, string> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.LengthDelimited)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is { } value ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.LengthDelimitedSize(Encoding.UTF8.GetByteCount(value)) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message) is { } value)
        {
            writer.WriteKey(Number, ProtoWireType.LengthDelimited);
            writer.WriteString(value, Encoding.UTF8.GetByteCount(value));
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.LengthDelimited, messageName);
        set(message, reader.ReadString(Describe(messageName)));
    }
}

/// <summary>bytes: written whenever not null (also when empty); the last occurrence wins.</summary>
internal sealed class BytesField<TMessage>(int number, string member, Func<TMessage, byte[]?> get, Action<TMessage, byte[]> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.LengthDelimited)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is { } value ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.LengthDelimitedSize(value.Length) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message) is { } value)
        {
            writer.WriteKey(Number, ProtoWireType.LengthDelimited);
            writer.WriteBytes(value);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.LengthDelimited, messageName);
        set(message, reader.ReadLengthDelimited(Describe(messageName), out _).ToArray());
    }
}

/// <summary>repeated string: one field per element; a null element cannot be written.</summary>
internal sealed class StringListField<TMessage>(int number, string member, Func<TMessage, List<string>> get)
    : FieldCodec<TMessage>(number, member, ProtoWireType.LengthDelimited)
    where TMessage : class
{
    internal override int Measure(TMessage message)
    {
        if (get(message) is not { } list)
        {
            return 0;
        }

        int size = 0;
        foreach (string? item in list)
        {
            if (item is null)
            {
                throw new ArgumentException($"{typeof(TMessage).Name}.{Member} (field {Number}) holds a null string, which protobuf cannot encode");
            }

            size += ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.LengthDelimitedSize(Encoding.UTF8.GetByteCount(item));
        }

        return size;
    }

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message) is not { } list)
        {
            return;
        }

        foreach (string item in list)
        {
            writer.WriteKey(Number, ProtoWireType.LengthDelimited);
            writer.WriteString(item, Encoding.UTF8.GetByteCount(item));
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.LengthDelimited, messageName);
        get(message).Add(reader.ReadString(Describe(messageName)));
    }
}

/// <summary>
/// repeated uint32, packed: one length-delimited field holding the varints, written whenever the list is not null
/// (also when empty, as protobuf-net does). Reading also accepts the unpacked form (one varint field per element).
/// </summary>
internal sealed class PackedUInt32ListField<TMessage>(int number, string member, Func<TMessage, List<uint>> get)
    : FieldCodec<TMessage>(number, member, ProtoWireType.LengthDelimited)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is { } list ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.LengthDelimitedSize(BodySize(list)) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message) is not { } list)
        {
            return;
        }

        writer.WriteKey(Number, ProtoWireType.LengthDelimited);
        writer.WriteVarint((uint)BodySize(list));
        foreach (uint item in list)
        {
            writer.WriteVarint(item);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        var list = get(message);
        string what = Describe(messageName);
        if (wireType == ProtoWireType.Varint)
        {
            list.Add(ReadUInt32(ref reader, what));
            return;
        }

        ExpectWireType(ref reader, wireType, ProtoWireType.LengthDelimited, messageName);
        var body = new ProtoSpanReader(reader.ReadLengthDelimited(what, out int bodyOffset), bodyOffset);
        while (!body.End)
        {
            list.Add(ReadUInt32(ref body, what));
        }
    }

    private static uint ReadUInt32(ref ProtoSpanReader reader, string what)
    {
        int at = reader.Offset;
        ulong value = reader.ReadVarint(what);
        if (value > uint.MaxValue)
        {
            ProtoSpanReader.Throw($"{what}: {value} at byte {at} is out of range for uint32", at);
        }

        return (uint)value;
    }

    private static int BodySize(List<uint> list)
    {
        int size = 0;
        foreach (uint item in list)
        {
            size += ProtoSpanWriter.VarintSize(item);
        }

        return size;
    }
}
