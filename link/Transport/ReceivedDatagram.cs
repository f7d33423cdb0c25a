namespace EdgeNode.Link.Transport;

/// <summary>One datagram delivered by <see cref="IDatagramTransport.ReceiveAsync"/>: its length in the caller's buffer and its sender.</summary>
public readonly record struct ReceivedDatagram(int Length, PeerAddress Peer);
