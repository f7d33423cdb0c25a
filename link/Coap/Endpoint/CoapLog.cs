using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Link.Coap.Endpoint;

/// <summary>Log catalog of the CoAP stack (event ids 2100–2199).</summary>
internal static partial class CoapLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "CoAP: dropped malformed datagram from {Peer} ({Reason}, {Length} B); reaction: {Reaction}")]
    public static partial void Malformed(ILogger logger, PeerAddress peer, CoapFormatError reason, int length, string reaction);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "CoAP handler for {Method} /{Path} from {Peer} failed; answered 5.00")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, CoapMethod method, string path, PeerAddress peer);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "CoAP transport error while receiving on {LocalEndPoint}")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, string localEndPoint);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "CoAP transport error while sending {Length} B to {Peer}")]
    public static partial void SendFailed(ILogger logger, Exception exception, int length, PeerAddress peer);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "CoAP: rejected request {Method} /{Path} from {Peer}: {Code} {Reason}")]
    public static partial void Rejected(ILogger logger, string method, string path, PeerAddress peer, string code, string reason);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "CoAP separate response to {Peer} was not acknowledged: {Reason}")]
    public static partial void SeparateResponseLost(ILogger logger, PeerAddress peer, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "CoAP: {What} from {Peer} (message id {MessageId}) matched nothing; {Reaction}")]
    public static partial void Unmatched(ILogger logger, string what, PeerAddress peer, int messageId, string reaction);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Error, Message = "CoAP endpoint on {LocalEndPoint}: unexpected error while processing a datagram from {Peer}")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string localEndPoint, PeerAddress peer);
}
