namespace EdgeNode.Link.Coap;

/// <summary>The counters of <see cref="CoapEndpointMetrics"/>; <see cref="CoapEndpointMetrics.GetName"/> gives the metric name.</summary>
public enum CoapCounter
{
    DatagramsReceived,
    DatagramsSent,
    RequestsReceived,
    ResponsesReceived,
    Retransmissions,
    DuplicatesReceived,
    ResetsSent,
    ResetsReceived,
    PingsAnswered,
    Timeouts,
    HandlerErrors,
    BadOptionRejected,
    UnmatchedMessages,
    DeduplicationEvictions,
    BlockTransferEvictions,
    TransportErrors,
    MalformedTruncated,
    MalformedVersion,
    MalformedTokenLength,
    MalformedCodeClass,
    MalformedEmptyMessage,
    MalformedPayloadMarker,
    MalformedOptionDelta,
    MalformedOptionLength,
    MalformedOptionNumber,
    MalformedTypeForCode,
    MalformedTooLarge,
}
