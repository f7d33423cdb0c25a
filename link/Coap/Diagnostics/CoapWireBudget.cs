using System.Runtime.CompilerServices;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Link.Coap.Diagnostics;

/// <summary>
/// Figures for the budget guard and the benchmarks: the size of a heartbeat datagram on the wire, and the bytes
/// the codec allocates to encode and decode one (goal: 0).
/// A heartbeat is <c>CON POST /hb?d=&lt;deviceId&gt;</c> with a 2-byte token and the protobuf payload:
/// 4 B header + 2 B token + 3 B Uri-Path "hb" + Uri-Query (1–2 B + 2 + id) + 1 B marker + payload.
/// (Over DTLS the identity is the PSK identity and the query is left out: pass a null device id.)
/// </summary>
public static class CoapWireBudget
{
    public const int HeartbeatTokenLength = 2;
    private const int MaxDeviceIdLength = 253;

    /// <summary>A typical heartbeat (4 apps, one backing off) that the codec tests and benchmarks measure.</summary>
    public static Heartbeat TypicalHeartbeat() => new()
    {
        Sequence = 1234,
        UptimeSeconds = 86_400,
        State = UnitState.Online,
        BootReason = BootReason.PowerLoss,
        CpuPermille = 230,
        MemoryUsedMb = 412,
        DiskFreeMb = 5120,
        TemperatureC = 47,
        AppStates = [AppStateCode.Pack(AppPhase.Running, 0), AppStateCode.Pack(AppPhase.Running, 2), AppStateCode.Pack(AppPhase.BackingOff, 5), AppStateCode.Pack(AppPhase.Running, 0)],
        AppliedGeneration = 17,
        LastEventSequence = 3021,
    };

    /// <summary>Bytes of a heartbeat datagram (CoAP only; add 8 B UDP + 20 B IPv4, or the DTLS record overhead).</summary>
    public static int HeartbeatDatagramSize(string? deviceId, int payloadLength)
    {
        int size = CoapMessageReader.HeaderLength + HeartbeatTokenLength;
        size += CoapMessageWriter.OptionSize(0, CoapOptionNumber.UriPath, 2);
        if (deviceId is not null)
        {
            size += CoapMessageWriter.OptionSize(CoapOptionNumber.UriPath, CoapOptionNumber.UriQuery, 2 + System.Text.Encoding.UTF8.GetByteCount(deviceId));
        }

        return payloadLength == 0 ? size : size + 1 + payloadLength;
    }

    /// <summary>Writes a heartbeat request without allocating; false (nothing useful written) if too small.</summary>
    [SkipLocalsInit]
    public static bool TryWriteHeartbeat(Span<byte> destination, ushort messageId, ReadOnlySpan<byte> token, ReadOnlySpan<char> deviceId, ReadOnlySpan<byte> payload, out int bytesWritten)
    {
        bytesWritten = 0;
        if (deviceId.Length > MaxDeviceIdLength)
        {
            throw new ArgumentException($"device id longer than {MaxDeviceIdLength} characters", nameof(deviceId));
        }

        var writer = new CoapMessageWriter(destination);
        if (!writer.TryWriteHeader(CoapMessageType.Confirmable, CoapCode.FromMethod(CoapMethod.Post), messageId, token)
            || !writer.TryWriteOption(CoapOptionNumber.UriPath, "hb"))
        {
            return false;
        }

        if (!deviceId.IsEmpty)
        {
            Span<char> query = stackalloc char[2 + MaxDeviceIdLength];
            query[0] = 'd';
            query[1] = '=';
            deviceId.CopyTo(query[2..]);
            if (!writer.TryWriteOption(CoapOptionNumber.UriQuery, query[..(2 + deviceId.Length)]))
            {
                return false;
            }
        }

        if (!writer.TryWritePayload(payload))
        {
            return false;
        }

        bytesWritten = writer.BytesWritten;
        return true;
    }

    /// <summary>
    /// Reads a heartbeat request back: checks it is POST /hb, finds d=&lt;id&gt; and the payload, without allocating.
    /// </summary>
    public static bool TryReadHeartbeat(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> deviceId, out ReadOnlySpan<byte> payload)
    {
        deviceId = default;
        payload = default;
        if (CoapMessageReader.Parse(datagram, out var message) != CoapFormatError.None || message.Code != CoapCode.FromMethod(CoapMethod.Post))
        {
            return false;
        }

        bool isHeartbeat = false;
        foreach (var option in message.Options)
        {
            if (option.Number == CoapOptionNumber.UriPath)
            {
                isHeartbeat = option.Value.SequenceEqual("hb"u8);
            }
            else if (option.Number == CoapOptionNumber.UriQuery && option.Value.StartsWith("d="u8))
            {
                deviceId = option.Value[2..];
            }
        }

        payload = message.Payload;
        return isHeartbeat;
    }

    /// <summary>Bytes allocated on this thread per call of <paramref name="action"/>, averaged over the iterations.</summary>
    public static double MeasureAllocatedBytes(Action action, int iterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(action);
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)iterations;
    }

    /// <summary>Bytes allocated to encode and decode one heartbeat datagram (goal: 0).</summary>
    public static double MeasureHeartbeatCodecAllocations(string deviceId, byte[] payload, int iterations = 1000)
    {
        var buffer = new byte[256];
        var token = new byte[] { 0xBE, 0xEF };
        ushort id = 0;
        return MeasureAllocatedBytes(
            () =>
            {
                if (!TryWriteHeartbeat(buffer, id++, token, deviceId, payload, out int written)
                    || !TryReadHeartbeat(buffer.AsSpan(0, written), out _, out _))
                {
                    throw new InvalidOperationException("heartbeat codec round trip failed");
                }
            },
            iterations);
    }
}
