namespace EdgeNode.Hub.Fleet;

public enum CommandState
{
    /// <summary>Waiting for the device's next heartbeat.</summary>
    Pending = 0,
    /// <summary>Sent in a heartbeat ack; waiting for POST /cmd (re-sent after the redelivery interval).</summary>
    Delivered = 1,
    /// <summary>The unit answered (see Ok / Message / Output).</summary>
    Done = 2,
}
