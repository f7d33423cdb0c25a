using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;

namespace EdgeNode.Link.Tests.Support;

/// <summary>Builds datagrams for tests, by hand (hex) or through the writer.</summary>
internal static class Datagrams
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static byte[] Request(CoapMessageType type, CoapMethod method, ushort id, byte[] token, string path, byte[]? payload = null, params (int Number, byte[] Value)[] extra)
    {
        var message = new CoapMessage { Type = type, Code = CoapCode.FromMethod(method), MessageId = id, Token = token, Payload = payload ?? [] };
        foreach (string segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            message.AddOption(CoapOptionNumber.UriPath, segment);
        }

        foreach (var (number, value) in extra)
        {
            message.AddOption(number, value);
        }

        return message.Encode();
    }

    public static CoapMessage Decode(byte[] datagram) => CoapMessage.Decode(datagram);
}
