using System.Net;
using EdgeNode.Link.Coap.Codec;

namespace EdgeNode.Link.Coap.Endpoint;

/// <summary>
/// One Confirmable message this endpoint sent and is retransmitting (a client request, or a server's separate
/// response), and for a client request also the response it waits for, matched by token.
/// </summary>
internal sealed class Exchange
{
    public Exchange(IPEndPoint endPoint, ushort messageId, TokenKey? token)
    {
        EndPoint = endPoint;
        MessageId = messageId;
        Token = token;
        Response = token is null ? null : new TaskCompletionSource<CoapMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public IPEndPoint EndPoint { get; }

    public ushort MessageId { get; }

    public TokenKey? Token { get; }

    /// <summary>Completed by an ACK (empty or piggybacked), a separate response, or a RST.</summary>
    public TaskCompletionSource Acknowledged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The response (client requests only); faulted with <see cref="CoapResetException"/> on RST.</summary>
    public TaskCompletionSource<CoapMessage>? Response { get; }

    public bool WasReset { get; private set; }

    public void Reset(string description)
    {
        WasReset = true;
        Acknowledged.TrySetResult();
        Response?.TrySetException(new CoapResetException(description));
    }
}
