using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>
/// HTTP/1.1 to the Docker Engine API over its unix socket (<c>unix:///var/run/docker.sock</c>) or plain TCP
/// (<c>tcp://host:2375</c>, <c>http://host:2375</c>): one exchange per connection (<c>Connection: close</c>, so nothing is pooled or to dispose), bodies
/// by Content-Length, chunked coding or until close (<see cref="HttpBodyStream"/>), source-generated JSON.
/// </summary>
/// <remarks>
/// Written for the agent's size: <see cref="System.Net.Http.HttpClient"/> brings TLS, HTTP/2, brotli and X.509 (about
/// 1.5 MB of native-AOT code plus OpenSSL at run time) to talk to a local socket. A connect on the unix socket costs
/// tens of microseconds, so there is no pooling and no stale connection to recover from.
/// Error answers become <see cref="EngineApiException"/>; a broken connection is an <see cref="IOException"/> or
/// <see cref="SocketException"/>; an answer that is not HTTP is an <see cref="InvalidDataException"/>.
/// </remarks>
internal sealed class EngineHttpClient
{
    /// <summary>Upper bound on an error answer's body we keep for the message.</summary>
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>Copy buffer for JSON answers: well below the 85,000-byte large-object threshold.</summary>
    private const int CopyBufferSize = 16 * 1024;

    private readonly EndPoint _endPoint;
    private readonly string _host;

    public EngineHttpClient(string endpoint)
    {
        var (baseAddress, socketPath) = ParseEndpoint(endpoint);
        _host = baseAddress.Authority;
        _endPoint = socketPath is not null
            ? new UnixDomainSocketEndPoint(socketPath)
            : new DnsEndPoint(baseAddress.Host, baseAddress.Port);
    }

    /// <summary>Splits an endpoint into the HTTP base address and, for unix sockets, the socket path.</summary>
    internal static (Uri BaseAddress, string? SocketPath) ParseEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new ArgumentException($"docker endpoint '{endpoint}' is not a URI (expected unix:///path/to/docker.sock or tcp://host:port)", nameof(endpoint));
        return uri.Scheme switch
        {
            "unix" when uri.AbsolutePath.Length > 1 => (new Uri("http://docker.sock/"), uri.AbsolutePath),
            "tcp" or "http" when uri.Port > 0 => (new Uri($"http://{uri.Authority}/"), null),
            _ => throw new ArgumentException($"docker endpoint '{endpoint}' is not supported (expected unix:///path/to/docker.sock or tcp://host:port)", nameof(endpoint)),
        };
    }

    /// <summary>
    /// Sends a request and returns the answer with its body unread (dispose it to close the connection). An answer
    /// outside 2xx (and 304, "already in that state") throws <see cref="EngineApiException"/> carrying the engine's message.
    /// </summary>
    public async Task<EngineResponse> SendAsync(string method, string pathAndQuery, RequestBody? body, CancellationToken cancellationToken)
    {
        var socket = _endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        EngineResponse? response = null;
        try
        {
            await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            await WriteRequestAsync(stream, method, pathAndQuery, body, cancellationToken).ConfigureAwait(false);
            response = await ReadResponseAsync(stream, method, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (response is null) socket.Dispose();
        }
        if (response.Status is >= 200 and < 300 or 304) return response;
        using (response)
        {
            var text = await ReadTextAsync(response.Body, MaxErrorBody, cancellationToken).ConfigureAwait(false);
            throw new EngineApiException((HttpStatusCode)response.Status, MessageOf(text, (HttpStatusCode)response.Status));
        }
    }

    /// <summary>Sends a request and discards the answer's body.</summary>
    public async Task SendAsync(string method, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, pathAndQuery, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> GetJsonAsync<T>(string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("GET", pathAndQuery, null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, pathAndQuery, type, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResult> PostJsonAsync<TBody, TResult>(string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        using var response = await SendAsync("POST", pathAndQuery, RequestBody.Json(json), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, pathAndQuery, resultType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The engine's <c>{"message": "..."}</c>, else the raw body, else the status.</summary>
    internal static string MessageOf(string body, HttpStatusCode status)
    {
        body = body.Trim();
        if (body.StartsWith('{'))
        {
            try
            {
                if (JsonSerializer.Deserialize(body, EngineJson.Default.ErrorResponse)?.Message is { Length: > 0 } m) return m;
            }
            catch (JsonException)
            {
                // not the engine's error shape: fall back to the raw body
            }
        }
        return body.Length > 0 ? body : $"{(int)status} {status}";
    }

    private async Task WriteRequestAsync(Stream stream, string method, string pathAndQuery, RequestBody? body, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(256)
            .Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(_host).Append("\r\n")
            .Append("User-Agent: edgenode-agent\r\n")
            .Append("Connection: close\r\n");
        long? length = body switch
        {
            null => method is "POST" or "PUT" ? 0 : null,
            { Bytes: { } bytes } => bytes.Length,
            { Stream: { CanSeek: true } s } => s.Length - s.Position,
            _ => null,
        };
        if (body is not null) head.Append("Content-Type: ").Append(body.ContentType).Append("\r\n");
        if (length is { } n) head.Append("Content-Length: ").Append(n.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        else if (body is not null) head.Append("Transfer-Encoding: chunked\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);

        if (body?.Bytes is { } data)
        {
            await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        else if (body?.Stream is { } source)
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (length is null)
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(read.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                if (length is null) await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            if (length is null) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<EngineResponse> ReadResponseAsync(Stream stream, string method, CancellationToken cancellationToken)
    {
        var reader = new HttpWireReader(stream);
        while (true)
        {
            var statusLine = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("engine closed the connection without answering");
            // "HTTP/1.1 200 OK"
            var parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 100 or > 599)
                throw new InvalidDataException($"engine answered with '{HttpBodyStream.Clip(statusLine)}', which is not an HTTP/1.1 status line");

            long? contentLength = null;
            var chunked = false;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } header)
            {
                var colon = header.IndexOf(':');
                if (colon <= 0) throw new InvalidDataException($"engine sent a malformed HTTP header '{HttpBodyStream.Clip(header)}'");
                var name = header.AsSpan(0, colon).Trim();
                var value = header.AsSpan(colon + 1).Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                        throw new InvalidDataException($"engine sent a malformed Content-Length '{HttpBodyStream.Clip(value.ToString())}'");
                    contentLength = n;
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
            }
            if (status is >= 100 and < 200) continue; // an interim answer; the real one follows
            var noBody = method == "HEAD" || status is 204 or 304;
            var body = new HttpBodyStream(reader, stream, noBody ? 0 : contentLength, chunked && !noBody);
            return new EngineResponse(status, body);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(EngineResponse response, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        // A small copy buffer: Stream.CopyToAsync's default (81,920 bytes) is rented from the shared pool as a 128 KiB
        // array, on the large object heap. The 30-s resync reads 6 of these answers at once (list + 5 inspects) and
        // pooled arrays die with the thread-pool threads that cached them, so LOH garbage grew ~128 KiB a minute
        // until a gen2 collection (the LOH budget is 3 MB): the agent's RSS drift. Engine answers are a few KB.
        await response.Body.CopyToAsync(buffer, CopyBufferSize, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type) ?? throw new JsonException("the engine answered null");
        }
        catch (JsonException e)
        {
            var path = pathAndQuery.Split('?', 2)[0];
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, 200));
            throw new EngineException($"engine answered {path} with JSON that is not a {typeof(T).Name}: {e.Message} (starts: {text})", e);
        }
    }

    private static async Task<string> ReadTextAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[limit];
        var total = 0;
        int n;
        while (total < limit && (n = await body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            total += n;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
