namespace EdgeNode.Link.Contracts.Codec;

/// <summary>A nested message: written whenever not null (also when empty); repeated occurrences merge, as in protobuf.</summary>
internal sealed class MessageField<TMessage, TNested>(int number, string member, MessageCodec<TNested> codec,
                                                      Func<TMessage, TNested?> get, Action<TMessage, TNested> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.LengthDelimited)
    where TMessage : class
    where TNested : class
{
    internal override int Measure(TMessage message) =>
        get(message) is { } nested ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.LengthDelimitedSize(codec.Measure(nested)) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message) is { } nested)
        {
            writer.WriteKey(Number, ProtoWireType.LengthDelimited);
            writer.WriteVarint((uint)codec.Measure(nested));
            codec.WriteFields(ref writer, nested);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.LengthDelimited, messageName);
        var body = new ProtoSpanReader(reader.ReadLengthDelimited(Describe(messageName), out int bodyOffset), bodyOffset);
        var nested = get(message) ?? codec.Create();
        codec.MergeFields(ref body, nested);
        set(message, nested);
    }
}

/// <summary>repeated message: one length-delimited field per element; a null element cannot be written.</summary>
internal sealed class MessageListField<TMessage, TNested>(int number, string member, MessageCodec<TNested> codec, Func<TMessage, List<TNested>> get)
    : FieldCodec<TMessage>(number, member, ProtoWireType.LengthDelimited)
    where TMessage : class
    where TNested : class
{
    internal override int Measure(TMessage message)
    {
        if (get(message) is not { } list)
        {
            return 0;
        }

        int size = 0;
        foreach (var item in list)
        {
            if (item is null)
            {
                throw new ArgumentException($"{typeof(TMessage).Name}.{Member} (field {Number}) holds a null {typeof(TNested).Name}, which protobuf cannot encode");
            }

            size += ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.LengthDelimitedSize(codec.Measure(item));
        }

        return size;
    }

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message) is not { } list)
        {
            return;
        }

        foreach (var item in list)
        {
            writer.WriteKey(Number, ProtoWireType.LengthDelimited);
            writer.WriteVarint((uint)codec.Measure(item));
            codec.WriteFields(ref writer, item);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.LengthDelimited, messageName);
        var body = new ProtoSpanReader(reader.ReadLengthDelimited(Describe(messageName), out int bodyOffset), bodyOffset);
        var item = codec.Create();
        codec.MergeFields(ref body, item);
        get(message).Add(item);
    }
}
