namespace EdgeNode.Link.Contracts.Codec;

/// <summary>
/// Encodes and decodes one contract message with a table of <see cref="FieldCodec{TMessage}"/>s: no reflection, no
/// runtime code generation, nothing for the trimmer to warn about. Unknown fields are skipped (a newer hub may send
/// fields this agent does not know); every malformed input throws <see cref="ContractFormatException"/>.
/// </summary>
public sealed class MessageCodec<TMessage>
    where TMessage : class
{
    private readonly Func<TMessage> _create;
    private readonly FieldCodec<TMessage>[] _fields;
    private readonly FieldCodec<TMessage>[] _byNumber;

    public MessageCodec(string name, Func<TMessage> create, Func<FieldTable<TMessage>, FieldTable<TMessage>> fields)
    {
        Name = name;
        _create = create;
        _fields = fields(new FieldTable<TMessage>()).Build();
        int max = _fields.Max(f => f.Number);
        _byNumber = new FieldCodec<TMessage>[max + 1];
        foreach (var field in _fields)
        {
            if (_byNumber[field.Number] is not null)
            {
                throw new ArgumentException($"{name}: field number {field.Number} is used twice");
            }

            _byNumber[field.Number] = field;
        }
    }

    /// <summary>The message name used in errors (the contract's class name).</summary>
    public string Name { get; }

    /// <summary>The fields in declaration order.</summary>
    public IReadOnlyList<FieldCodec<TMessage>> Fields => _fields;

    internal TMessage Create() => _create();

    /// <summary>The encoded size of <paramref name="message"/> in bytes.</summary>
    public int Measure(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int size = 0;
        foreach (var field in _fields)
        {
            size += field.Measure(message);
        }

        return size;
    }

    /// <summary>Encodes <paramref name="message"/> into a new array of exactly its size.</summary>
    public byte[] Encode(TMessage message)
    {
        var bytes = new byte[Measure(message)];
        var writer = new ProtoSpanWriter(bytes);
        WriteFields(ref writer, message);
        return bytes;
    }

    /// <summary>Encodes into <paramref name="destination"/>; false (and nothing written) when it is too small.</summary>
    public bool TryEncode(TMessage message, Span<byte> destination, out int bytesWritten)
    {
        int size = Measure(message);
        if (size > destination.Length)
        {
            bytesWritten = 0;
            return false;
        }

        var writer = new ProtoSpanWriter(destination[..size]);
        WriteFields(ref writer, message);
        bytesWritten = writer.Position;
        return true;
    }

    /// <summary>Decodes a whole payload; throws <see cref="ContractFormatException"/> naming the field and offset.</summary>
    public TMessage Decode(ReadOnlySpan<byte> payload)
    {
        var message = _create();
        var reader = new ProtoSpanReader(payload);
        MergeFields(ref reader, message);
        return message;
    }

    /// <summary>
    /// Decodes into an existing message, protobuf merge semantics: fields present overwrite, repeated fields append
    /// (clear them first to reuse a message). Allocates nothing beyond the strings, nested messages and list growth
    /// the payload itself needs; throws <see cref="ContractFormatException"/> like <see cref="Decode"/>.
    /// </summary>
    public void Merge(ReadOnlySpan<byte> payload, TMessage into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var reader = new ProtoSpanReader(payload);
        MergeFields(ref reader, into);
    }

    internal void WriteFields(ref ProtoSpanWriter writer, TMessage message)
    {
        foreach (var field in _fields)
        {
            field.Write(ref writer, message);
        }
    }

    internal void MergeFields(ref ProtoSpanReader reader, TMessage message)
    {
        while (reader.TryReadKey(Name, out int number, out var wireType))
        {
            if (number < _byNumber.Length && _byNumber[number] is { } field)
            {
                field.Read(ref reader, wireType, message, Name);
            }
            else
            {
                reader.Skip($"{Name} unknown field {number}", wireType);
            }
        }
    }
}
