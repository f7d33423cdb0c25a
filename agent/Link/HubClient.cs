using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Link;

/// <summary>
/// The agent side of the CoAP resources (docs/protocol.md): typed requests over one <see cref="IHubSession"/>.
/// Non-2.xx answers throw <see cref="HubRequestException"/> with the hub's reason. On plain CoAP (dev mode)
/// the identity travels as the query <c>d=ID</c>.
/// </summary>
public sealed class HubClient
{
    private readonly IHubSession _session;
    private readonly string _query;

    public HubClient(IHubSession session, string? plainCoapIdentity = null)
    {
        _session = session;
        _query = plainCoapIdentity is null ? "" : "?d=" + Uri.EscapeDataString(plainCoapIdentity);
    }

    public IHubSession Session => _session;

    public async Task<EnrollResponse> EnrollAsync(EnrollRequest request, CancellationToken ct) =>
        Wire.Decode<EnrollResponse>(await PostAsync("enroll", Wire.Encode(request), ct).ConfigureAwait(false), "EnrollResponse");

    public async Task<RegisterResponse> RegisterAsync(RegisterRequest request, CancellationToken ct) =>
        Wire.Decode<RegisterResponse>(await PostAsync("reg", Wire.Encode(request), ct).ConfigureAwait(false), "RegisterResponse");

    public async Task<HeartbeatAck> HeartbeatAsync(Heartbeat heartbeat, CancellationToken ct) =>
        Wire.Decode<HeartbeatAck>(await PostAsync("hb", Wire.Encode(heartbeat), ct).ConfigureAwait(false), "HeartbeatAck");

    /// <summary>GET /ds. Returns the raw bytes too, so the caller persists exactly what the hub sent.</summary>
    public async Task<(DesiredState State, byte[] Raw)> GetDesiredStateAsync(CancellationToken ct)
    {
        var payload = await SendAsync(HubMethod.Get, "ds", ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        var raw = payload.ToArray();
        return (Wire.Decode<DesiredState>(raw, "DesiredState"), raw);
    }

    public Task PostStatusAsync(StatusReport report, CancellationToken ct) => PostAsync("st", Wire.Encode(report), ct);

    public async Task<EventAck> PostEventsAsync(EventBatch batch, CancellationToken ct) =>
        Wire.Decode<EventAck>(await PostAsync("ev", Wire.Encode(batch), ct).ConfigureAwait(false), "EventAck");

    public Task PostCommandResultAsync(CommandResult result, CancellationToken ct) => PostAsync("cmd", Wire.Encode(result), ct);

    private Task<ReadOnlyMemory<byte>> PostAsync(string path, byte[] payload, CancellationToken ct) => SendAsync(HubMethod.Post, path, payload, ct);

    private async Task<ReadOnlyMemory<byte>> SendAsync(HubMethod method, string resource, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var path = "/" + resource + _query;
        var reply = await _session.SendAsync(method, path, payload, ct).ConfigureAwait(false);
        if (reply.IsSuccess)
        {
            return reply.Payload;
        }

        var reason = "";
        if (!reply.Payload.IsEmpty)
        {
            try
            {
                reason = Wire.Decode<ErrorBody>(reply.Payload, "ErrorBody").Reason;
            }
            catch (InvalidDataException)
            {
                reason = $"({reply.Payload.Length} bytes of undecodable error body)";
            }
        }

        throw new HubRequestException("/" + resource, reply, reason);
    }
}
