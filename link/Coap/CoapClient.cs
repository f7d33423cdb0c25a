using System.Buffers;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Coap.Endpoint;
using EdgeNode.Link.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Link.Coap;

/// <summary>
/// A CoAP client talking to one server over one transport. <see cref="SendAsync"/> retransmits Confirmable
/// requests (RFC 7252 §4.2), keeps NSTART outstanding requests (1 by default; others wait their turn), uploads
/// large bodies with Block1 and reassembles Block2 responses (RFC 7959).
/// </summary>
public sealed class CoapClient : IAsyncDisposable
{
    private const int MaxOptionOverhead = 128;
    private const int MaxBlockRestarts = 3;
    private readonly CoapEndpoint endpoint;
    private readonly PeerAddress server;

    public CoapClient(IDatagramTransport transport, PeerAddress server, CoapEndpointOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
        : this(transport, server, options, time, logger, random: null)
    {
    }

    internal CoapClient(IDatagramTransport transport, PeerAddress server, CoapEndpointOptions? options, TimeProvider? time, ILogger? logger, Random? random)
    {
        this.server = server;
        endpoint = new CoapEndpoint(transport, options, time, logger ?? NullLogger.Instance, dispatcher: null, random);
        endpoint.Start();
    }

    public CoapEndpointMetrics Metrics => endpoint.Metrics;

    public PeerAddress Server => server;

    internal CoapEndpoint Endpoint => endpoint;

    /// <summary>
    /// Sends a request and returns the response, whatever its code. Throws <see cref="CoapTimeoutException"/> when a
    /// CON request is not acknowledged after MAX_RETRANSMIT retransmissions (or no response follows), and
    /// <see cref="CoapResetException"/> when the server answers with RST.
    /// </summary>
    public async Task<CoapResponse> SendAsync(CoapMethod method, string path, ReadOnlyMemory<byte> payload = default, CoapRequestOptions? options = null, CancellationToken ct = default)
    {
        options ??= new CoapRequestOptions();
        path = CoapResourceDispatcher.NormalizePath(path);
        string resource = $"{method.ToString().ToUpperInvariant()} coap://{server.EndPoint}/{path}";
        int blockSize = BlockSize(options);

        if (payload.Length > blockSize)
        {
            return await UploadAsync(method, path, payload, options, blockSize, resource, ct).ConfigureAwait(false);
        }

        var request = Build(method, path, options, payload);
        if (options.BlockSize is not null && method == CoapMethod.Get)
        {
            // RFC 7959 §2.4 early negotiation: ask for the smaller block size from block 0 on.
            request.AddOption(CoapOptionNumber.Block2, new CoapBlockOption(0, false, CoapBlockOption.SizeExponentFor(blockSize)).Encode());
        }

        var first = await endpoint.RequestAsync(server, request, resource, ct).ConfigureAwait(false);
        return await CompleteAsync(first, method, path, options, resource, ct).ConfigureAwait(false);
    }

    /// <summary>RFC 7959 §2.5: Block1 upload, following the server's (smaller) block size if it asks for one.</summary>
    private async Task<CoapResponse> UploadAsync(CoapMethod method, string path, ReadOnlyMemory<byte> payload, CoapRequestOptions options, int blockSize, string resource, CancellationToken ct)
    {
        int offset = 0;
        int szx = CoapBlockOption.SizeExponentFor(blockSize);
        while (true)
        {
            int size = 1 << (szx + 4);
            int number = offset / size;
            int length = Math.Min(size, payload.Length - offset);
            bool more = offset + length < payload.Length;
            var request = Build(method, path, options, payload.Slice(offset, length));
            request.AddOption(CoapOptionNumber.Block1, new CoapBlockOption(number, more, szx).Encode());
            if (number == 0)
            {
                request.AddOption(CoapOptionNumber.Size1, (uint)payload.Length);
            }

            var response = await endpoint.RequestAsync(server, request, resource, ct).ConfigureAwait(false);
            if (!more || response.Code != CoapCode.Continue)
            {
                return await CompleteAsync(response, method, path, options, resource, ct).ConfigureAwait(false);
            }

            int accepted = size;
            if (response.TryGetBlock(CoapOptionNumber.Block1, out var echo) && echo.SizeExponent < szx)
            {
                // The server wants smaller blocks: it kept only the first echo.Size bytes of this one.
                szx = echo.SizeExponent;
                accepted = (echo.Number + 1) * echo.Size - offset;
            }

            offset += accepted;
        }
    }

    /// <summary>RFC 7959 §2.4: fetch the remaining Block2 blocks and reassemble the body.</summary>
    private async Task<CoapResponse> CompleteAsync(CoapMessage first, CoapMethod method, string path, CoapRequestOptions options, string resource, CancellationToken ct)
    {
        if (!first.TryGetBlock(CoapOptionNumber.Block2, out var block) || !block.More)
        {
            return ToResponse(first, first.Payload);
        }

        for (int restart = 0; restart <= MaxBlockRestarts; restart++)
        {
            var body = new ArrayBufferWriter<byte>(Math.Max(1024, (int)Math.Min(first.GetUInt(CoapOptionNumber.Size2) ?? 0, (uint)endpoint.Options.MaxBodySize)));
            body.Write(first.Payload.Span);
            var etag = first.GetOption(CoapOptionNumber.ETag);
            var current = first;
            bool changed = false;
            while (block.More)
            {
                if (body.WrittenCount > endpoint.Options.MaxBodySize)
                {
                    throw new CoapException($"CoAP {resource}: response body exceeds {endpoint.Options.MaxBodySize} bytes");
                }

                var next = new CoapBlockOption(body.WrittenCount / block.Size, false, block.SizeExponent);
                var request = Build(method, path, options, default);
                request.AddOption(CoapOptionNumber.Block2, next.Encode());
                current = await endpoint.RequestAsync(server, request, resource, ct).ConfigureAwait(false);
                if (!current.Code.IsSuccess)
                {
                    return ToResponse(current, current.Payload);
                }

                if (!current.TryGetBlock(CoapOptionNumber.Block2, out block) || block.Offset > body.WrittenCount || (block.Offset + current.Payload.Length <= body.WrittenCount && block.More))
                {
                    throw new CoapException($"CoAP {resource}: server sent an unexpected Block2 ({(current.GetOption(CoapOptionNumber.Block2) is null ? "none" : block.ToString())}) at offset {body.WrittenCount}");
                }

                var currentTag = current.GetOption(CoapOptionNumber.ETag);
                if (!SameTag(etag, currentTag))
                {
                    changed = true;
                    break;
                }

                body.Write(current.Payload.Span[(body.WrittenCount - block.Offset)..]);
            }

            if (!changed)
            {
                return ToResponse(current, body.WrittenMemory) with { Code = first.Code };
            }

            // The representation changed in the middle of the transfer: start again from block 0.
            var again = Build(method, path, options, default);
            first = await endpoint.RequestAsync(server, again, resource, ct).ConfigureAwait(false);
            if (!first.TryGetBlock(CoapOptionNumber.Block2, out block) || !block.More)
            {
                return ToResponse(first, first.Payload);
            }
        }

        throw new CoapException($"CoAP {resource}: the representation kept changing during the block-wise transfer");
    }

    private static bool SameTag(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private int BlockSize(CoapRequestOptions options)
    {
        int size = options.BlockSize ?? endpoint.Options.PreferredBlockSize;
        size = 1 << (CoapBlockOption.SizeExponentFor(size) + 4);
        int fits = endpoint.Transport.MaxDatagramSize - MaxOptionOverhead;
        while (size > 16 && size > fits)
        {
            size /= 2;
        }

        return size;
    }

    private static CoapMessage Build(CoapMethod method, string path, CoapRequestOptions options, ReadOnlyMemory<byte> payload)
    {
        var request = new CoapMessage
        {
            Type = options.Confirmable ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable,
            Code = CoapCode.FromMethod(method),
            Payload = payload,
        };
        foreach (var tag in options.IfMatch)
        {
            request.AddOption(CoapOptionNumber.IfMatch, tag.Span);
        }

        foreach (var tag in options.ETags)
        {
            request.AddOption(CoapOptionNumber.ETag, tag.Span);
        }

        if (options.IfNoneMatch)
        {
            request.AddOption(CoapOptionNumber.IfNoneMatch, ReadOnlySpan<byte>.Empty);
        }

        if (path.Length > 0)
        {
            foreach (string segment in path.Split('/'))
            {
                request.AddOption(CoapOptionNumber.UriPath, segment);
            }
        }

        if (options.ContentFormat is { } format)
        {
            request.AddOption(CoapOptionNumber.ContentFormat, (uint)format);
        }

        foreach (string item in options.Query)
        {
            request.AddOption(CoapOptionNumber.UriQuery, item);
        }

        if (options.Accept is { } accept)
        {
            request.AddOption(CoapOptionNumber.Accept, (uint)accept);
        }

        return request;
    }

    private static CoapResponse ToResponse(CoapMessage message, ReadOnlyMemory<byte> body)
    {
        var location = message.GetStringOptions(CoapOptionNumber.LocationPath);
        return new CoapResponse(message.Code, body, (int?)message.GetUInt(CoapOptionNumber.ContentFormat, 2))
        {
            ETag = message.GetOption(CoapOptionNumber.ETag) ?? ReadOnlyMemory<byte>.Empty,
            MaxAge = message.GetUInt(CoapOptionNumber.MaxAge),
            LocationPath = location.Count == 0 ? null : string.Join('/', location),
            Size1 = message.GetUInt(CoapOptionNumber.Size1),
        };
    }

    public ValueTask DisposeAsync() => endpoint.DisposeAsync();
}
