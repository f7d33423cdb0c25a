using System.Net;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Link.Dtls;

/// <summary>Log catalog of the DTLS transports (stable event ids 2100–2199). Identities are peer-controlled:
/// they pass through <see cref="DtlsText.Printable"/> first. Keys never appear in any message.</summary>
internal static partial class DtlsLog
{
    [LoggerMessage(2100, LogLevel.Information, "DTLS server listening on {EndPoint} (suites {Suites}, handshake timeout {HandshakeTimeout})")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, string suites, string handshakeTimeout);

    [LoggerMessage(2101, LogLevel.Information, "DTLS session established with '{Identity}' at {EndPoint} ({CipherSuite}, handshake {ElapsedMs} ms)")]
    public static partial void SessionEstablished(ILogger logger, string identity, IPEndPoint endPoint, DtlsCipherSuite cipherSuite, long elapsedMs);

    [LoggerMessage(2102, LogLevel.Warning, "DTLS handshake from {EndPoint} as '{Identity}' failed: {Reason}: {Detail}")]
    public static partial void HandshakeFailed(ILogger logger, IPEndPoint endPoint, string identity, string reason, string detail);

    [LoggerMessage(2103, LogLevel.Information, "DTLS session of '{Identity}' at {EndPoint} closed: {Why}")]
    public static partial void SessionClosed(ILogger logger, string identity, IPEndPoint endPoint, string why);

    [LoggerMessage(2104, LogLevel.Information, "DTLS session of '{Identity}' at {EndPoint} replaced: a new ClientHello came from the same endpoint (client restarted?)")]
    public static partial void SessionReplaced(ILogger logger, string identity, IPEndPoint endPoint);

    [LoggerMessage(2105, LogLevel.Debug, "DTLS datagram of {Length} bytes from {EndPoint} dropped: {Reason}")]
    public static partial void DatagramDropped(ILogger logger, int length, IPEndPoint endPoint, string reason);

    [LoggerMessage(2106, LogLevel.Warning, "DTLS new handshake from {EndPoint} refused: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, IPEndPoint endPoint, string reason);

    [LoggerMessage(2107, LogLevel.Warning, "DTLS session of '{Identity}' at {EndPoint} failed: {Detail}")]
    public static partial void SessionFailed(ILogger logger, string identity, IPEndPoint endPoint, string detail);

    [LoggerMessage(2108, LogLevel.Debug, "DTLS send to {Peer} dropped: no established session")]
    public static partial void SendNoSession(ILogger logger, string peer);

    [LoggerMessage(2109, LogLevel.Error, "DTLS server socket on {EndPoint} failed to receive; retrying in 100 ms")]
    public static partial void ReceiveFailed(ILogger logger, IPEndPoint endPoint, Exception exception);

    [LoggerMessage(2110, LogLevel.Debug, "DTLS datagram from {EndPoint} failed unexpectedly and was dropped")]
    public static partial void DatagramFailed(ILogger logger, IPEndPoint endPoint, Exception exception);

    [LoggerMessage(2111, LogLevel.Warning, "{Count} more DTLS {Kind} were not logged (log rate limit); the edgenode.dtls.* counters have them all")]
    public static partial void LinesSuppressed(ILogger logger, int count, string kind);

    [LoggerMessage(2120, LogLevel.Information, "DTLS client connected to {Server} as '{Identity}' ({CipherSuite}, {Resumed}, handshake {ElapsedMs} ms)")]
    public static partial void ClientConnected(ILogger logger, IPEndPoint server, string identity, DtlsCipherSuite cipherSuite, string resumed, long elapsedMs);

    [LoggerMessage(2121, LogLevel.Warning, "{Message}")]
    public static partial void ClientHandshakeFailed(ILogger logger, string message);

    [LoggerMessage(2122, LogLevel.Information, "DTLS client session with {Server} as '{Identity}' closed: {Why}")]
    public static partial void ClientSessionClosed(ILogger logger, IPEndPoint server, string identity, string why);
}
