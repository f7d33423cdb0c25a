namespace EdgeNode.Link.Contracts.Codec;

/// <summary>uint32: a varint; more than 32 bits is out of range.</summary>
internal sealed class UInt32Field<TMessage>(int number, string member, Func<TMessage, uint> get, Action<TMessage, uint> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.Varint)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is var value && value != 0 ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.VarintSize(value) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        uint value = get(message);
        if (value != 0)
        {
            writer.WriteKey(Number, ProtoWireType.Varint);
            writer.WriteVarint(value);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.Varint, messageName);
        int at = reader.Offset;
        ulong value = reader.ReadVarint(Describe(messageName));
        if (value > uint.MaxValue)
        {
            ProtoSpanReader.Throw($"{Describe(messageName)}: {value} at byte {at} is out of range for uint32", at);
        }

        set(message, (uint)value);
    }
}

/// <summary>int32 (and enums): a varint, negative values sign-extended to 10 bytes; read back from 32 or 64 bits.</summary>
internal sealed class Int32Field<TMessage>(int number, string member, Func<TMessage, int> get, Action<TMessage, int> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.Varint)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is var value && value != 0 ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.VarintSize((ulong)(long)value) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        int value = get(message);
        if (value != 0)
        {
            writer.WriteKey(Number, ProtoWireType.Varint);
            writer.WriteVarint((ulong)(long)value);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.Varint, messageName);
        int at = reader.Offset;
        ulong raw = reader.ReadVarint(Describe(messageName));
        long signed = (long)raw;
        if (raw > uint.MaxValue && (signed < int.MinValue || signed >= 0))
        {
            ProtoSpanReader.Throw($"{Describe(messageName)}: {raw} at byte {at} is out of range for int32", at);
        }

        // 32-bit two's complement (0xFFFFFFFF = -1) or the sign-extended 64-bit form proto3 writes.
        set(message, raw <= uint.MaxValue ? (int)(uint)raw : (int)signed);
    }
}

/// <summary>uint64: a varint.</summary>
internal sealed class UInt64Field<TMessage>(int number, string member, Func<TMessage, ulong> get, Action<TMessage, ulong> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.Varint)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is var value && value != 0 ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.VarintSize(value) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        ulong value = get(message);
        if (value != 0)
        {
            writer.WriteKey(Number, ProtoWireType.Varint);
            writer.WriteVarint(value);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.Varint, messageName);
        set(message, reader.ReadVarint(Describe(messageName)));
    }
}

/// <summary>int64: a varint of the two's complement (negative values take 10 bytes).</summary>
internal sealed class Int64Field<TMessage>(int number, string member, Func<TMessage, long> get, Action<TMessage, long> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.Varint)
    where TMessage : class
{
    internal override int Measure(TMessage message) =>
        get(message) is var value && value != 0 ? ProtoSpanWriter.KeySize(Number) + ProtoSpanWriter.VarintSize((ulong)value) : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        long value = get(message);
        if (value != 0)
        {
            writer.WriteKey(Number, ProtoWireType.Varint);
            writer.WriteVarint((ulong)value);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.Varint, messageName);
        set(message, (long)reader.ReadVarint(Describe(messageName)));
    }
}

/// <summary>bool: varint 1 when true (not written when false); any non-zero varint reads as true.</summary>
internal sealed class BoolField<TMessage>(int number, string member, Func<TMessage, bool> get, Action<TMessage, bool> set)
    : FieldCodec<TMessage>(number, member, ProtoWireType.Varint)
    where TMessage : class
{
    internal override int Measure(TMessage message) => get(message) ? ProtoSpanWriter.KeySize(Number) + 1 : 0;

    internal override void Write(ref ProtoSpanWriter writer, TMessage message)
    {
        if (get(message))
        {
            writer.WriteKey(Number, ProtoWireType.Varint);
            writer.WriteVarint(1);
        }
    }

    internal override void Read(ref ProtoSpanReader reader, ProtoWireType wireType, TMessage message, string messageName)
    {
        ExpectWireType(ref reader, wireType, ProtoWireType.Varint, messageName);
        set(message, reader.ReadVarint(Describe(messageName)) != 0);
    }
}
