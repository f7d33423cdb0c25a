namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// Builds the field table of a <see cref="MessageCodec{TMessage}"/>, one line per [ProtoMember] (tests check that
/// every [ProtoMember] of every contract is here with the same number, and nothing else).
/// </summary>
public sealed class FieldTable<TMessage>
    where TMessage : class
{
    private readonly List<FieldCodec<TMessage>> _fields = [];

    public FieldTable<TMessage> UInt32(int number, string member, Func<TMessage, uint> get, Action<TMessage, uint> set) =>
        Add(new UInt32Field<TMessage>(number, member, get, set));

    /// <summary>int32, and enums (their underlying int).</summary>
    public FieldTable<TMessage> Int32(int number, string member, Func<TMessage, int> get, Action<TMessage, int> set) =>
        Add(new Int32Field<TMessage>(number, member, get, set));

    public FieldTable<TMessage> UInt64(int number, string member, Func<TMessage, ulong> get, Action<TMessage, ulong> set) =>
        Add(new UInt64Field<TMessage>(number, member, get, set));

    public FieldTable<TMessage> Int64(int number, string member, Func<TMessage, long> get, Action<TMessage, long> set) =>
        Add(new Int64Field<TMessage>(number, member, get, set));

    public FieldTable<TMessage> Bool(int number, string member, Func<TMessage, bool> get, Action<TMessage, bool> set) =>
        Add(new BoolField<TMessage>(number, member, get, set));

    public FieldTable<TMessage> String(int number, string member, Func<TMessage, string?> get, Action<TMessage, string> set) =>
        Add(new StringField<TMessage>(number, member, get, set));

    public FieldTable<TMessage> Bytes(int number, string member, Func<TMessage, byte[]?> get, Action<TMessage, byte[]> set) =>
        Add(new BytesField<TMessage>(number, member, get, set));

    /// <summary>repeated string; the list property must be initialised by the message's constructor.</summary>
    public FieldTable<TMessage> Strings(int number, string member, Func<TMessage, List<string>> get) =>
        Add(new StringListField<TMessage>(number, member, get));

    /// <summary>repeated uint32, packed; the list property must be initialised by the message's constructor.</summary>
    public FieldTable<TMessage> PackedUInt32s(int number, string member, Func<TMessage, List<uint>> get) =>
        Add(new PackedUInt32ListField<TMessage>(number, member, get));

    public FieldTable<TMessage> Message<TNested>(int number, string member, MessageCodec<TNested> codec,
                                                 Func<TMessage, TNested?> get, Action<TMessage, TNested> set)
        where TNested : class =>
        Add(new MessageField<TMessage, TNested>(number, member, codec, get, set));

    /// <summary>repeated message; the list property must be initialised by the message's constructor.</summary>
    public FieldTable<TMessage> Messages<TNested>(int number, string member, MessageCodec<TNested> codec, Func<TMessage, List<TNested>> get)
        where TNested : class =>
        Add(new MessageListField<TMessage, TNested>(number, member, codec, get));

    internal FieldCodec<TMessage>[] Build() => [.. _fields];

    private FieldTable<TMessage> Add(FieldCodec<TMessage> field)
    {
        if (field.Number is < 1 or > (1 << 29) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(field), $"{typeof(TMessage).Name}.{field.Member}: field number {field.Number} is outside 1..2^29-1");
        }

        _fields.Add(field);
        return this;
    }
}
