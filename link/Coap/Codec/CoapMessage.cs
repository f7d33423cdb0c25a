using System.Text;

namespace EdgeNode.Link.Coap.Codec;

/// <summary>
/// A fully materialised message (copies of token, options and payload) for the exchange layers above the codec.
/// The hot path (heartbeat encode/decode) uses <see cref="CoapMessageWriter"/> and <see cref="CoapMessageReader"/>
/// directly; this type is for convenience where a copy is needed anyway.
/// </summary>
public sealed class CoapMessage
{
    private readonly List<KeyValuePair<int, byte[]>> options = [];

    public CoapMessageType Type { get; set; }

    public CoapCode Code { get; set; }

    public ushort MessageId { get; set; }

    public byte[] Token { get; set; } = [];

    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Options sorted by number (stable for repeated options).</summary>
    public IReadOnlyList<KeyValuePair<int, byte[]>> Options => options;

    public static CoapMessage FromView(in CoapMessageView view)
    {
        var message = new CoapMessage
        {
            Type = view.Type,
            Code = view.Code,
            MessageId = view.MessageId,
            Token = view.Token.ToArray(),
            Payload = view.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : view.Payload.ToArray(),
        };
        foreach (var option in view.Options)
        {
            message.options.Add(new(option.Number, option.Value.ToArray()));
        }

        return message;
    }

    /// <summary>Parses a datagram; throws <see cref="CoapFormatException"/> for malformed or truncated input.</summary>
    public static CoapMessage Decode(ReadOnlySpan<byte> datagram)
    {
        var error = CoapMessageReader.Parse(datagram, out var view);
        if (error != CoapFormatError.None)
        {
            throw CoapMessageReader.CreateException(error, datagram);
        }

        return FromView(view);
    }

    public CoapMessage AddOption(int number, ReadOnlySpan<byte> value)
    {
        int index = options.Count;
        while (index > 0 && options[index - 1].Key > number)
        {
            index--;
        }

        options.Insert(index, new(number, value.ToArray()));
        return this;
    }

    public CoapMessage AddOption(int number, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        int skip = value == 0 ? 4 : System.Numerics.BitOperations.LeadingZeroCount(value) / 8;
        return AddOption(number, buffer[skip..]);
    }

    public CoapMessage AddOption(int number, string value) => AddOption(number, Encoding.UTF8.GetBytes(value));

    public CoapMessage SetOption(int number, uint value)
    {
        RemoveOption(number);
        return AddOption(number, value);
    }

    public void RemoveOption(int number) => options.RemoveAll(o => o.Key == number);

    public bool HasOption(int number)
    {
        foreach (var option in options)
        {
            if (option.Key == number)
            {
                return true;
            }
        }

        return false;
    }

    public byte[]? GetOption(int number)
    {
        foreach (var option in options)
        {
            if (option.Key == number)
            {
                return option.Value;
            }
        }

        return null;
    }

    public List<byte[]> GetOptions(int number)
    {
        var result = new List<byte[]>();
        foreach (var option in options)
        {
            if (option.Key == number)
            {
                result.Add(option.Value);
            }
        }

        return result;
    }

    public List<string> GetStringOptions(int number) => GetOptions(number).ConvertAll(v => Encoding.UTF8.GetString(v));

    /// <summary>A uint option, or null when absent or longer than <paramref name="maxLength"/> bytes.</summary>
    public uint? GetUInt(int number, int maxLength = 4)
    {
        var value = GetOption(number);
        if (value is null || value.Length > maxLength)
        {
            return null;
        }

        uint result = 0;
        foreach (byte b in value)
        {
            result = (result << 8) | b;
        }

        return result;
    }

    public bool TryGetBlock(int number, out CoapBlockOption block)
    {
        var value = GetOption(number);
        if (value is null)
        {
            block = default;
            return false;
        }

        return CoapBlockOption.TryDecode(value, out block);
    }

    public int GetEncodedLength()
    {
        int length = CoapMessageReader.HeaderLength + Token.Length;
        int previous = 0;
        foreach (var option in options)
        {
            length += CoapMessageWriter.OptionSize(previous, option.Key, option.Value.Length);
            previous = option.Key;
        }

        return Payload.IsEmpty ? length : length + 1 + Payload.Length;
    }

    public byte[] Encode()
    {
        var buffer = new byte[GetEncodedLength()];
        var writer = new CoapMessageWriter(buffer);
        writer.TryWriteHeader(Type, Code, MessageId, Token);
        foreach (var option in options)
        {
            writer.TryWriteOption(option.Key, option.Value);
        }

        writer.TryWritePayload(Payload.Span);
        return buffer;
    }

    public override string ToString() => $"{Type} {Code} mid={MessageId} token={Convert.ToHexString(Token)} options={options.Count} payload={Payload.Length} B";
}
