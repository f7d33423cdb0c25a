using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Metrics;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Contracts.Codec;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Hub.Devices;

/// <summary>
/// The agent protocol without sockets: identity + payload in, code + payload out. The CoAP/CoAPS endpoints are a
/// thin layer over <see cref="Handle"/>; tests and the in-process benchmark call it directly.
/// Identity is the DTLS PSK identity (secured) or the query <c>d=&lt;id&gt;</c> on plain CoAP (dev only).
/// </summary>
public sealed partial class DeviceProtocolHandler
{
    public const int MaxDegradedReasons = 32;
    public const int MaxReasonLength = 128;
    public const int MaxEventsPerBatch = 256;
    public const int MaxHardwareIdLength = 128;

    private readonly FleetRegistry _fleet;
    private readonly HubOptions _options;
    private readonly HubMetrics _metrics;
    private readonly ILogger _log;
    private readonly Dictionary<string, EnrollmentCredential> _enrollment;

    public DeviceProtocolHandler(FleetRegistry fleet, HubOptions options, HubMetrics metrics, ILogger logger)
    {
        _fleet = fleet;
        _options = options;
        _metrics = metrics;
        _log = logger;
        _enrollment = options.EnrollmentCredentials.ToDictionary(c => c.Identity, StringComparer.Ordinal);
    }

    /// <summary>For the DTLS key store: an enrollment identity's key, a device's key, or null (handshake refused).</summary>
    public byte[]? GetKey(string identity) =>
        _enrollment.TryGetValue(identity, out var c) ? (byte[])c.Key.Clone() : _fleet.GetDeviceKey(identity);

    public DeviceReply Handle(DeviceResource resource, string? identity, bool secured, ReadOnlyMemory<byte> payload)
    {
        try
        {
            return resource switch
            {
                DeviceResource.Enroll => Enroll(identity, secured, payload),
                DeviceResource.Register => WithDevice<RegisterRequest>(resource, identity, payload, (d, m) => DeviceReply.Changed(_fleet.Register(d, m))),
                DeviceResource.Heartbeat => WithDevice<Heartbeat>(resource, identity, payload, Heartbeat),
                DeviceResource.DesiredState => WithDevice(identity, DesiredState),
                DeviceResource.Status => WithDevice<StatusReport>(resource, identity, payload, (d, m) =>
                {
                    _fleet.StatusReport(d, m);
                    return new DeviceReply(DeviceReplyCode.Changed, []);
                }),
                DeviceResource.Events => WithDevice<EventBatch>(resource, identity, payload, Events),
                DeviceResource.CommandResult => WithDevice<CommandResult>(resource, identity, payload, (d, m) =>
                    _fleet.CompleteCommand(d, m)
                        ? new DeviceReply(DeviceReplyCode.Changed, [])
                        : Reject(DeviceReplyCode.NotFound, $"command {m.Id} is not known for device '{d.Id}'")),
                _ => Reject(DeviceReplyCode.NotFound, $"unknown resource {resource}"),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.HandlerFailed(_log, e, resource.ToString(), identity ?? "(none)");
            return DeviceReply.Error(DeviceReplyCode.InternalServerError, $"{resource} failed in the hub: {e.Message}");
        }
    }

    private DeviceReply Enroll(string? identity, bool secured, ReadOnlyMemory<byte> payload)
    {
        _metrics.EnrollRequest();
        EnrollmentCredential? credential = null;
        if (identity is not null && !_enrollment.TryGetValue(identity, out credential))
        {
            return _fleet.FindDevice(identity) is not null
                ? Reject(DeviceReplyCode.Forbidden, $"identity '{identity}' is a device identity and may not enroll")
                : Reject(DeviceReplyCode.Unauthorized, $"identity '{identity}' is not a fleet enrollment identity");
        }

        if (secured && credential is null)
        {
            return Reject(DeviceReplyCode.Unauthorized, "enrollment needs a fleet enrollment identity");
        }

        if (!TryDecode<EnrollRequest>(payload, out var request, out var error))
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(request.HardwareId))
        {
            return Malformed("EnrollRequest.hardwareId is empty");
        }

        if (request.HardwareId.Length > MaxHardwareIdLength)
        {
            return Malformed($"EnrollRequest.hardwareId is longer than {MaxHardwareIdLength} characters");
        }

        return DeviceReply.Changed(_fleet.Enroll(credential, request, secured));
    }

    private DeviceReply Heartbeat(Device device, Heartbeat hb)
    {
        if (hb.Degraded.Count > MaxDegradedReasons || hb.Degraded.Any(r => r.Length > MaxReasonLength))
        {
            return Malformed($"Heartbeat.degraded has more than {MaxDegradedReasons} reasons or a reason over {MaxReasonLength} characters");
        }

        return DeviceReply.Changed(_fleet.Heartbeat(device, hb));
    }

    private DeviceReply DesiredState(Device device)
    {
        var slot = device.Slot;
        if (slot is null)
        {
            return Reject(DeviceReplyCode.NotFound, $"device '{device.Id}' has no slot, so no desired state");
        }

        var bytes = slot.CurrentBytes;
        var generation = slot.CurrentGeneration;
        return new DeviceReply(DeviceReplyCode.Content, bytes, generation);
    }

    private DeviceReply Events(Device device, EventBatch batch)
    {
        if (batch.Events.Count > MaxEventsPerBatch)
        {
            return Malformed($"EventBatch has {batch.Events.Count} events; at most {MaxEventsPerBatch} per request");
        }

        return DeviceReply.Changed(_fleet.StoreEvents(device, batch));
    }

    private DeviceReply WithDevice<T>(DeviceResource resource, string? identity, ReadOnlyMemory<byte> payload, Func<Device, T, DeviceReply> body)
        where T : class
    {
        var check = Authenticate(identity, out var device);
        if (check is { } rejected)
        {
            return rejected;
        }

        return TryDecode<T>(payload, out var message, out var error) ? body(device!, message) : error;
    }

    private DeviceReply WithDevice(string? identity, Func<Device, DeviceReply> body) =>
        Authenticate(identity, out var device) is { } rejected ? rejected : body(device!);

    private DeviceReply? Authenticate(string? identity, out Device? device)
    {
        device = null;
        if (identity is null)
        {
            return Reject(DeviceReplyCode.Unauthorized, "no device identity: use DTLS-PSK, or the query d=<deviceId> on plain CoAP");
        }

        device = _fleet.FindDevice(identity);
        if (device is null)
        {
            return _enrollment.ContainsKey(identity)
                ? Reject(DeviceReplyCode.Forbidden, $"enrollment identity '{identity}' may only use /enroll")
                : Reject(DeviceReplyCode.Unauthorized, $"unknown device '{identity}'");
        }

        if (device.Retired)
        {
            return Reject(DeviceReplyCode.Forbidden, $"device '{identity}' is retired: {device.RetiredReason}");
        }

        return null;
    }

    /// <summary>
    /// Decodes a device's payload with the agent's own table codec (<see cref="LinkCodecs"/>, the one the agent encodes
    /// with): nothing allocated beyond the message, and a malformed payload is named by field and offset.
    /// </summary>
    private bool TryDecode<T>(ReadOnlyMemory<byte> payload, out T message, out DeviceReply error)
        where T : class
    {
        try
        {
            message = LinkCodecs.For<T>().Decode(payload.Span);
            error = default;
            return true;
        }
        catch (ContractFormatException e)
        {
            message = default!;
            error = Malformed($"malformed {typeof(T).Name} payload ({payload.Length} bytes): {e.Message}");
            return false;
        }
    }

    private DeviceReply Malformed(string reason)
    {
        _metrics.Malformed();
        return DeviceReply.Error(DeviceReplyCode.BadRequest, reason);
    }

    private DeviceReply Reject(DeviceReplyCode code, string reason)
    {
        _metrics.Rejected();
        return DeviceReply.Error(code, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Device request {Resource} from {Identity} failed in the hub")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string resource, string identity);
    }
}
