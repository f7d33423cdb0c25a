using ProtoBuf;
using ProtoBuf.Meta;

namespace EdgeNode.Link.Contracts;

/// <summary>
/// The source-generated protobuf model for every wire message (AOT-safe; the reflection model is not).
/// Use <see cref="Serialize{T}"/> / <see cref="TryDeserialize{T}"/> rather than the Type-based APIs.
/// </summary>
[ProtoModel]
[ProtoSerializable(typeof(EnrollRequest))]
[ProtoSerializable(typeof(EnrollResponse))]
[ProtoSerializable(typeof(RegisterRequest))]
[ProtoSerializable(typeof(RegisterResponse))]
[ProtoSerializable(typeof(Heartbeat))]
[ProtoSerializable(typeof(HeartbeatAck))]
[ProtoSerializable(typeof(CommandResult))]
[ProtoSerializable(typeof(DesiredState))]
[ProtoSerializable(typeof(StatusReport))]
[ProtoSerializable(typeof(EventBatch))]
[ProtoSerializable(typeof(EventAck))]
[ProtoSerializable(typeof(ErrorBody))]
public sealed partial class LinkContracts : TypeModel
{
}
