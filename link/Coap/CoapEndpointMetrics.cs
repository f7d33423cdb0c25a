namespace EdgeNode.Link.Coap;

/// <summary>
/// Thread-safe counters of one endpoint (server or client), e.g. for a Prometheus exporter:
/// <c>foreach (var (name, value) in metrics.Snapshot())</c> gives names like <c>coap_malformed_truncated_total</c>.
/// </summary>
public sealed class CoapEndpointMetrics
{
    private static readonly CoapCounter[] AllCounters = Enum.GetValues<CoapCounter>();
    private static readonly string[] Names = BuildNames();
    private readonly long[] values = new long[AllCounters.Length];

    public long this[CoapCounter counter] => Interlocked.Read(ref values[(int)counter]);

    /// <summary>Malformed datagrams seen for this reason.</summary>
    public long Malformed(CoapFormatError reason) => this[ForReason(reason)];

    /// <summary>Sum of every Malformed* counter.</summary>
    public long MalformedTotal
    {
        get
        {
            long total = 0;
            for (var c = CoapCounter.MalformedTruncated; c <= CoapCounter.MalformedTooLarge; c++)
            {
                total += this[c];
            }

            return total;
        }
    }

    /// <summary>Prometheus-style metric name, e.g. "coap_datagrams_received_total".</summary>
    public static string GetName(CoapCounter counter) => Names[(int)counter];

    public IReadOnlyList<KeyValuePair<string, long>> Snapshot()
    {
        var result = new KeyValuePair<string, long>[AllCounters.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new(Names[i], Interlocked.Read(ref values[i]));
        }

        return result;
    }

    internal void Increment(CoapCounter counter) => Interlocked.Increment(ref values[(int)counter]);

    internal static CoapCounter ForReason(CoapFormatError reason) => reason switch
    {
        CoapFormatError.Truncated => CoapCounter.MalformedTruncated,
        CoapFormatError.UnsupportedVersion => CoapCounter.MalformedVersion,
        CoapFormatError.TokenLengthReserved => CoapCounter.MalformedTokenLength,
        CoapFormatError.ReservedCodeClass => CoapCounter.MalformedCodeClass,
        CoapFormatError.EmptyMessageNotEmpty => CoapCounter.MalformedEmptyMessage,
        CoapFormatError.PayloadMarkerWithoutPayload => CoapCounter.MalformedPayloadMarker,
        CoapFormatError.OptionDeltaReserved => CoapCounter.MalformedOptionDelta,
        CoapFormatError.OptionLengthReserved => CoapCounter.MalformedOptionLength,
        CoapFormatError.OptionNumberOverflow => CoapCounter.MalformedOptionNumber,
        CoapFormatError.InvalidTypeForCode => CoapCounter.MalformedTypeForCode,
        _ => CoapCounter.MalformedTooLarge,
    };

    private static string[] BuildNames()
    {
        var names = new string[AllCounters.Length];
        foreach (var counter in AllCounters)
        {
            string pascal = counter.ToString();
            var builder = new System.Text.StringBuilder("coap_");
            for (int i = 0; i < pascal.Length; i++)
            {
                char c = pascal[i];
                if (char.IsUpper(c) && i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }

            names[(int)counter] = builder.Append("_total").ToString();
        }

        return names;
    }
}
