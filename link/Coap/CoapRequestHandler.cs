namespace EdgeNode.Link.Coap;

/// <summary>Handles one request mapped with <see cref="CoapServer.Map"/>. An exception becomes 5.00 with a reason.</summary>
public delegate ValueTask<CoapResponse> CoapRequestHandler(CoapRequest request, CancellationToken ct);
