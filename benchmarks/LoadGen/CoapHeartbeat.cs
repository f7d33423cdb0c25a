using System.Buffers;
using System.Text;
using EdgeNode.Link.Contracts;

namespace EdgeNode.LoadGen;

/// <summary>
/// A pre-encoded CON POST /hb (RFC 7252 §3): the load generator patches only the message id and token per send,
/// so its own CPU stays small next to the hub's.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |Ver| T |  TKL  |      Code     |          Message ID           |
/// |   Token (TKL = 2)             | Options (Uri-Path, Uri-Query) | 0xFF | payload
/// </code>
/// </summary>
public sealed class CoapHeartbeat
{
    private readonly byte[] _template;

    public CoapHeartbeat(string? plainIdentity, uint sequence)
    {
        var writer = new ArrayBufferWriter<byte>();
        LinkContracts.Instance.Serialize(writer, new Heartbeat
        {
            Sequence = sequence, UptimeSeconds = 3600, State = UnitState.Online, BootReason = BootReason.CleanStop,
            CpuPermille = 120, MemoryUsedMb = 700, DiskFreeMb = 9000, TemperatureC = 45,
            AppStates = [AppStateCode.Pack(AppPhase.Running, 0), AppStateCode.Pack(AppPhase.Running, 2)], AppliedGeneration = 1,
        });
        var message = new List<byte> { 0x42, 0x02, 0, 0, 0, 0 }; // CON, TKL 2, POST, MID, token
        message.AddRange([0xB2, (byte)'h', (byte)'b']); // Uri-Path (11) "hb"
        if (plainIdentity is not null)
        {
            var query = Encoding.ASCII.GetBytes("d=" + plainIdentity);
            if (query.Length < 13)
            {
                message.Add((byte)(0x40 | query.Length)); // Uri-Query (15 = 11 + 4)
            }
            else
            {
                message.Add(0x4D);
                message.Add((byte)(query.Length - 13));
            }

            message.AddRange(query);
        }

        message.Add(0xFF);
        message.AddRange(writer.WrittenSpan.ToArray());
        _template = [.. message];
    }

    public int Length => _template.Length;

    /// <summary>Writes the request with <paramref name="messageId"/> (also used as the token) into <paramref name="buffer"/>.</summary>
    public int Write(Span<byte> buffer, ushort messageId)
    {
        _template.CopyTo(buffer);
        buffer[2] = buffer[4] = (byte)(messageId >> 8);
        buffer[3] = buffer[5] = (byte)messageId;
        return _template.Length;
    }

    /// <summary>True when <paramref name="response"/> is the piggybacked ACK to <paramref name="messageId"/>; gives its code byte.</summary>
    public static bool TryMatch(ReadOnlySpan<byte> response, ushort messageId, out byte code)
    {
        code = 0;
        if (response.Length < 4 || (response[0] >> 6) != 1 || ((response[0] >> 4) & 3) != 2)
        {
            return false;
        }

        code = response[1];
        return response[2] == (byte)(messageId >> 8) && response[3] == (byte)messageId;
    }
}
