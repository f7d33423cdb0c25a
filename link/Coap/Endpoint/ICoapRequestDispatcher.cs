using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Coap.Endpoint;

/// <summary>The layer above the message layer on a server: turns a request into a response (code, options, payload).</summary>
internal interface ICoapRequestDispatcher
{
    ValueTask<CoapMessage> DispatchAsync(CoapMessage request, PeerAddress peer, CancellationToken cancellationToken);
}
