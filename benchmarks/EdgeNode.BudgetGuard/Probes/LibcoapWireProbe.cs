namespace EdgeNode.BudgetGuard.Probes;

/// <summary>The peer's figure: libcoap coap-client's bytes on the wire for the same heartbeat request
/// (parameter <c>transport</c>: plain or dtls).</summary>
public sealed class LibcoapWireProbe : IProbe
{
    public string Name => "libcoap-heartbeat-wire";

    public async Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        bool dtls = context.Parameter("transport") == "dtls";
        var (bytes, reason) = await WireCapture.LibcoapRequestAsync(dtls, cancellationToken);
        return bytes is { } b
            ? ProbeResult.Measured(context.FromBytes(b), $"payload {WireCapture.Payload().Length} B, coap-client-openssl {(dtls ? "coaps (PSK)" : "coap")}")
            : ProbeResult.NotMeasured(reason!);
    }
}
