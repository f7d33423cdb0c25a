using System.Text;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Link.Coap.Endpoint;

/// <summary>
/// The server's layers above the message layer: block-wise transfers (RFC 7959: Block1 reassembly with 2.31,
/// 4.08 and 4.13, Block2 slicing with ETag and Size2), conditional GET (2.03 Valid), routing by (method, path),
/// <c>/.well-known/core</c> (RFC 6690), and turning handler exceptions into 5.00.
/// </summary>
internal sealed class CoapResourceDispatcher : ICoapRequestDispatcher
{
    public const string WellKnownCore = ".well-known/core";
    private const int MaxOptionOverhead = 128;

    private readonly object sync = new();
    private readonly Dictionary<string, Resource> resources = new(StringComparer.Ordinal);
    private readonly Dictionary<(PeerAddress Peer, string Key), Block1Transfer> uploads = [];
    private readonly Dictionary<(PeerAddress Peer, string Key), Block2Body> downloads = [];
    private readonly Func<CoapEndpoint> endpoint;
    private readonly ILogger logger;

    public CoapResourceDispatcher(Func<CoapEndpoint> endpoint, ILogger logger)
    {
        this.endpoint = endpoint;
        this.logger = logger;
    }

    private CoapEndpointOptions Options => endpoint().Options;

    public void Map(CoapMethod method, string path, CoapRequestHandler handler, string? linkAttributes)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown CoAP method.");
        }

        path = NormalizePath(path);
        lock (sync)
        {
            if (!resources.TryGetValue(path, out var resource))
            {
                resource = new Resource(path);
                resources[path] = resource;
            }

            if (!resource.Handlers.TryAdd(method, handler))
            {
                throw new InvalidOperationException($"CoAP {method.ToString().ToUpperInvariant()} /{path} is already mapped.");
            }

            if (linkAttributes is not null)
            {
                resource.LinkAttributes = linkAttributes.TrimStart(';');
            }
        }
    }

    public static string NormalizePath(string path) => (path ?? "").Trim('/');

    /// <summary>
    /// The RFC 6690 link-format document of every mapped resource; with a query filter (§4.1) such as
    /// <c>rt=edgenode.hb</c>, <c>href=/ds</c> or <c>rt=edgenode.*</c>, only the matching links (none: empty).
    /// </summary>
    public string BuildLinkFormat(string? filter = null)
    {
        lock (sync)
        {
            var builder = new StringBuilder();
            foreach (var resource in resources.Values.OrderBy(r => r.Path, StringComparer.Ordinal))
            {
                if (filter is not null && !Matches(resource, filter))
                {
                    continue;
                }

                if (builder.Length > 0)
                {
                    builder.Append(',');
                }

                builder.Append("</").Append(resource.Path).Append('>');
                if (!string.IsNullOrEmpty(resource.LinkAttributes))
                {
                    builder.Append(';').Append(resource.LinkAttributes);
                }
            }

            return builder.ToString();
        }
    }

    private static bool Matches(Resource resource, string filter)
    {
        int equals = filter.IndexOf('=', StringComparison.Ordinal);
        string name = equals < 0 ? filter : filter[..equals];
        string wanted = equals < 0 ? "" : filter[(equals + 1)..];
        bool prefix = wanted.EndsWith('*');
        if (prefix)
        {
            wanted = wanted[..^1];
        }

        bool Match(string value) => prefix ? value.StartsWith(wanted, StringComparison.Ordinal) : value == wanted;

        if (name == "href")
        {
            return Match("/" + resource.Path);
        }

        foreach (string attribute in (resource.LinkAttributes ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = attribute.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? attribute : attribute[..eq];
            if (key != name)
            {
                continue;
            }

            string value = eq < 0 ? "" : attribute[(eq + 1)..].Trim('"');
            foreach (string part in value.Split(' ', StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(""))
            {
                if (Match(part))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public async ValueTask<CoapMessage> DispatchAsync(CoapMessage request, PeerAddress peer, CancellationToken cancellationToken)
    {
        if (request.Code.Detail is < 1 or > 4)
        {
            return Error(CoapCode.MethodNotAllowed, $"method code {request.Code} is not supported");
        }

        var method = (CoapMethod)request.Code.Detail;
        string path = string.Join('/', request.GetStringOptions(CoapOptionNumber.UriPath));
        var query = request.GetStringOptions(CoapOptionNumber.UriQuery);
        string transferKey = $"{request.Code.Value}|{path}?{string.Join('&', query)}";
        int blockSize = BlockSizeFor(request);

        // Block2 continuation: serve a slice of the body we built for block 0, if still held.
        bool hasBlock2 = request.TryGetBlock(CoapOptionNumber.Block2, out var block2);
        if (request.GetOption(CoapOptionNumber.Block2) is not null && !hasBlock2)
        {
            return Error(CoapCode.BadOption, "invalid Block2 option");
        }

        if (hasBlock2 && block2.Number > 0 && !request.HasOption(CoapOptionNumber.Block1))
        {
            Block2Body? held;
            lock (sync)
            {
                if (downloads.TryGetValue((peer, transferKey), out held) && held.ExpiresAt <= Now())
                {
                    downloads.Remove((peer, transferKey));
                    held = null;
                }
            }

            if (held is not null)
            {
                return Slice(held.Response, held.Body, block2.Offset / blockSize, blockSize, request, peer, transferKey);
            }
        }

        ReadOnlyMemory<byte> payload = request.Payload;
        CoapBlockOption? block1Echo = null;
        if (request.GetOption(CoapOptionNumber.Block1) is not null)
        {
            if (!request.TryGetBlock(CoapOptionNumber.Block1, out var block1))
            {
                return Error(CoapCode.BadOption, "invalid Block1 option");
            }

            var (done, early, body) = ReceiveBlock1(request, block1, peer, transferKey);
            if (!done)
            {
                return early!;
            }

            payload = body;
            block1Echo = block1 with { More = false };
        }
        else if (request.GetUInt(CoapOptionNumber.Size1) is { } size1 && size1 > Options.MaxBodySize)
        {
            return TooLarge();
        }

        CoapResponse response;
        if (path == WellKnownCore && method == CoapMethod.Get && !HasResource(path))
        {
            response = CoapResponse.Content(Encoding.UTF8.GetBytes(BuildLinkFormat(query.Count > 0 ? query[0] : null)), CoapContentFormats.LinkFormat);
        }
        else
        {
            CoapRequestHandler? handler;
            lock (sync)
            {
                if (!resources.TryGetValue(path, out var resource))
                {
                    return Error(CoapCode.NotFound, $"no resource /{path}");
                }

                if (!resource.Handlers.TryGetValue(method, out handler))
                {
                    return Error(CoapCode.MethodNotAllowed, $"/{path} does not support {method.ToString().ToUpperInvariant()}");
                }
            }

            var coapRequest = new CoapRequest
            {
                Method = method,
                Path = path,
                Query = query,
                Payload = payload,
                ContentFormat = (int?)request.GetUInt(CoapOptionNumber.ContentFormat, 2),
                Accept = (int?)request.GetUInt(CoapOptionNumber.Accept, 2),
                ETags = request.GetOptions(CoapOptionNumber.ETag).ConvertAll(static e => (ReadOnlyMemory<byte>)e),
                IfMatch = request.GetOptions(CoapOptionNumber.IfMatch).ConvertAll(static e => (ReadOnlyMemory<byte>)e),
                IfNoneMatch = request.HasOption(CoapOptionNumber.IfNoneMatch),
                Confirmable = request.Type == CoapMessageType.Confirmable,
                Peer = peer,
            };
            try
            {
                response = await handler(coapRequest, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                endpoint().Metrics.Increment(CoapCounter.HandlerErrors);
                CoapLog.HandlerFailed(logger, ex, method, path, peer);
                return Error(CoapCode.InternalServerError, $"{method.ToString().ToUpperInvariant()} /{path} failed: {ex.GetType().Name}");
            }
        }

        // Accept (§5.10.4): the handler produced a different Content-Format than the one asked for.
        if (request.GetUInt(CoapOptionNumber.Accept, 2) is { } accept && response.Code.IsSuccess && response.ContentFormat is { } produced && produced != (int)accept)
        {
            return Error(CoapCode.NotAcceptable, $"/{path} produces Content-Format {produced}, not {accept}");
        }

        // Conditional GET (§5.10.6.2): the client already holds the current representation.
        if (method == CoapMethod.Get && response.Code == CoapCode.Content && !response.ETag.IsEmpty)
        {
            foreach (var etag in request.GetOptions(CoapOptionNumber.ETag))
            {
                if (response.ETag.Span.SequenceEqual(etag))
                {
                    var valid = new CoapMessage { Code = CoapCode.Valid };
                    valid.AddOption(CoapOptionNumber.ETag, response.ETag.Span);
                    if (response.MaxAge is { } maxAge)
                    {
                        valid.AddOption(CoapOptionNumber.MaxAge, maxAge);
                    }

                    return valid;
                }
            }
        }

        if (response.Payload.Length > blockSize || (hasBlock2 && block2.Number > 0))
        {
            if (response.ETag.IsEmpty && response.Code.IsSuccess)
            {
                response = response with { ETag = ComputeETag(response.Payload.Span) };
            }

            // Keep the body for the following blocks (the handler ran: either block 0, or the held copy had expired).
            Hold(peer, transferKey, new Block2Body(response, response.Payload, Now() + ToTimestamp(Options.ExchangeLifetime)));

            var sliced = Slice(response, response.Payload, hasBlock2 ? block2.Offset / blockSize : 0, blockSize, request, peer, transferKey);
            if (block1Echo is { } echo1)
            {
                sliced.AddOption(CoapOptionNumber.Block1, echo1.Encode());
            }

            return sliced;
        }

        var message = ToMessage(response);
        if (block1Echo is { } echo)
        {
            message.AddOption(CoapOptionNumber.Block1, echo.Encode());
        }

        return message;
    }

    private bool HasResource(string path)
    {
        lock (sync)
        {
            return resources.ContainsKey(path);
        }
    }

    /// <summary>Block size for this exchange: the client's wish (Block2/Block1 SZX), ours, and what fits a datagram.</summary>
    private int BlockSizeFor(CoapMessage request)
    {
        int size = Options.PreferredBlockSize;
        int fits = endpoint().Transport.MaxDatagramSize - MaxOptionOverhead;
        while (size > 16 && size > fits)
        {
            size /= 2;
        }

        if (request.TryGetBlock(CoapOptionNumber.Block2, out var wanted) && wanted.Size < size)
        {
            size = wanted.Size;
        }

        return size;
    }

    private (bool Done, CoapMessage? Early, ReadOnlyMemory<byte> Body) ReceiveBlock1(CoapMessage request, CoapBlockOption block, PeerAddress peer, string key)
    {
        int ours = Options.PreferredBlockSize;
        int fits = endpoint().Transport.MaxDatagramSize - MaxOptionOverhead;
        while (ours > 16 && ours > fits)
        {
            ours /= 2;
        }

        if (request.GetUInt(CoapOptionNumber.Size1) is { } announced && announced > Options.MaxBodySize)
        {
            Forget(peer, key);
            return (false, TooLarge(), default);
        }

        if (block.More && request.Payload.Length != block.Size)
        {
            Forget(peer, key);
            return (false, Error(CoapCode.BadRequest, $"Block1 {block}: a block with more to follow must carry exactly {block.Size} bytes"), default);
        }

        lock (sync)
        {
            uploads.TryGetValue((peer, key), out var transfer);
            if (transfer is not null && transfer.ExpiresAt <= Now())
            {
                uploads.Remove((peer, key));
                transfer = null;
            }

            if (block.Number == 0)
            {
                transfer = new Block1Transfer();
                if (!uploads.ContainsKey((peer, key)) && uploads.Count >= Options.MaxBlockTransfers)
                {
                    EvictOldestUpload();
                }

                uploads[(peer, key)] = transfer;
            }
            else if (transfer is null || block.Offset != transfer.Body.WrittenCount)
            {
                uploads.Remove((peer, key));
                return (false, Error(CoapCode.RequestEntityIncomplete, $"Block1 {block} does not continue a transfer (expected offset {transfer?.Body.WrittenCount ?? 0})"), default);
            }

            // §2.3: for block 0 the server may ask for a smaller size; it keeps only that many bytes.
            var data = request.Payload.Span;
            var echo = block;
            if (block.Number == 0 && block.More && block.Size > ours)
            {
                data = data[..ours];
                echo = new CoapBlockOption(0, true, CoapBlockOption.SizeExponentFor(ours));
            }

            if (transfer.Body.WrittenCount + data.Length > Options.MaxBodySize)
            {
                uploads.Remove((peer, key));
                return (false, TooLarge(), default);
            }

            System.Buffers.BuffersExtensions.Write(transfer.Body, data);
            transfer.ExpiresAt = Now() + ToTimestamp(Options.ExchangeLifetime);
            if (block.More)
            {
                var cont = new CoapMessage { Code = CoapCode.Continue };
                cont.AddOption(CoapOptionNumber.Block1, echo.Encode());
                return (false, cont, default);
            }

            uploads.Remove((peer, key));
            return (true, null, transfer.Body.WrittenMemory);
        }
    }

    private void Forget(PeerAddress peer, string key)
    {
        lock (sync)
        {
            uploads.Remove((peer, key));
        }
    }

    private void EvictOldestUpload()
    {
        var oldest = uploads.MinBy(u => u.Value.ExpiresAt);
        uploads.Remove(oldest.Key);
        endpoint().Metrics.Increment(CoapCounter.BlockTransferEvictions);
    }

    private void Hold(PeerAddress peer, string key, Block2Body body)
    {
        lock (sync)
        {
            if (!downloads.ContainsKey((peer, key)) && downloads.Count >= Options.MaxBlockTransfers)
            {
                long now = Now();
                foreach (var expired in downloads.Where(d => d.Value.ExpiresAt <= now).Select(d => d.Key).ToList())
                {
                    downloads.Remove(expired);
                }

                if (downloads.Count >= Options.MaxBlockTransfers)
                {
                    downloads.Remove(downloads.MinBy(d => d.Value.ExpiresAt).Key);
                    endpoint().Metrics.Increment(CoapCounter.BlockTransferEvictions);
                }
            }

            downloads[(peer, key)] = body;
        }
    }

    private CoapMessage Slice(CoapResponse response, ReadOnlyMemory<byte> body, int number, int size, CoapMessage request, PeerAddress peer, string key)
    {
        int offset = number * size;
        if (offset >= body.Length && !(offset == 0 && body.IsEmpty))
        {
            return Error(CoapCode.BadOption, $"Block2 number {number} is beyond the end of the {body.Length}-byte body");
        }

        int length = Math.Min(size, body.Length - offset);
        bool more = offset + length < body.Length;
        if (!more)
        {
            lock (sync)
            {
                downloads.Remove((peer, key));
            }
        }

        var message = ToMessage(response with { Payload = body.Slice(offset, length) });
        message.AddOption(CoapOptionNumber.Block2, new CoapBlockOption(number, more, CoapBlockOption.SizeExponentFor(size)).Encode());
        if (number == 0 || request.HasOption(CoapOptionNumber.Size2))
        {
            message.AddOption(CoapOptionNumber.Size2, (uint)body.Length);
        }

        return message;
    }

    internal static CoapMessage ToMessage(in CoapResponse response)
    {
        var message = new CoapMessage { Code = response.Code, Payload = response.Payload };
        if (!response.ETag.IsEmpty)
        {
            message.AddOption(CoapOptionNumber.ETag, response.ETag.Span);
        }

        if (response.LocationPath is { Length: > 0 } location)
        {
            foreach (string segment in location.Trim('/').Split('/'))
            {
                message.AddOption(CoapOptionNumber.LocationPath, segment);
            }
        }

        if (response.ContentFormat is { } format)
        {
            message.AddOption(CoapOptionNumber.ContentFormat, (uint)format);
        }

        if (response.MaxAge is { } maxAge)
        {
            message.AddOption(CoapOptionNumber.MaxAge, maxAge);
        }

        if (response.Size1 is { } size1)
        {
            message.AddOption(CoapOptionNumber.Size1, size1);
        }

        return message;
    }

    private CoapMessage TooLarge()
    {
        var message = Error(CoapCode.RequestEntityTooLarge, $"request body larger than {Options.MaxBodySize} bytes");
        message.AddOption(CoapOptionNumber.Size1, (uint)Options.MaxBodySize);
        return message;
    }

    private static CoapMessage Error(CoapCode code, string reason) => new() { Code = code, Payload = Encoding.UTF8.GetBytes(reason) };

    /// <summary>FNV-1a over the body, 4 bytes: enough to notice a change between blocks.</summary>
    private static byte[] ComputeETag(ReadOnlySpan<byte> body)
    {
        uint hash = 2166136261;
        foreach (byte b in body)
        {
            hash = (hash ^ b) * 16777619;
        }

        return [(byte)(hash >> 24), (byte)(hash >> 16), (byte)(hash >> 8), (byte)hash];
    }

    private long Now() => endpoint().Time.GetTimestamp();

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * endpoint().Time.TimestampFrequency);

    private sealed class Resource(string path)
    {
        public string Path { get; } = path;

        public Dictionary<CoapMethod, CoapRequestHandler> Handlers { get; } = [];

        public string? LinkAttributes { get; set; }
    }

    private sealed class Block1Transfer
    {
        public System.Buffers.ArrayBufferWriter<byte> Body { get; } = new();

        public long ExpiresAt { get; set; }
    }

    private sealed record Block2Body(CoapResponse Response, ReadOnlyMemory<byte> Body, long ExpiresAt);
}
