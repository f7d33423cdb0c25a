using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Devices;

/// <summary>An answer to one device request: code, payload (a contract message or an ErrorBody), and the ETag for /ds.</summary>
public readonly record struct DeviceReply(DeviceReplyCode Code, byte[] Payload, ulong? ETag = null)
{
    public bool IsSuccess => Code is DeviceReplyCode.Changed or DeviceReplyCode.Content;

    public static DeviceReply Changed<T>(T message) => new(DeviceReplyCode.Changed, HubStore.ToBytes(message));

    public static DeviceReply Error(DeviceReplyCode code, string reason) => new(code, HubStore.ToBytes(new ErrorBody { Reason = reason }));

    /// <summary>The reason of an error reply ("" for a success).</summary>
    public string Reason => IsSuccess ? "" : HubStore.FromBytes<ErrorBody>(Payload).Reason;
}
