using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>
/// HTTP/1.1 to the Docker Engine API over its unix socket (<c>unix:///var/run/docker.sock</c>) or TCP
/// (<c>tcp://host:2375</c>, <c>http://host:2375</c>), on <see cref="SocketsHttpHandler"/> with source-generated JSON.
/// Error answers become <see cref="EngineApiException"/>; transport failures stay <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class EngineHttpClient : IDisposable
{
    private readonly HttpClient _http;

    public EngineHttpClient(string endpoint)
    {
        var (baseAddress, socketPath) = ParseEndpoint(endpoint);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Few, short-lived connections: the event stream holds one, calls borrow one each.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        if (socketPath is not null)
            handler.ConnectCallback = (_, ct) => ConnectUnixAsync(socketPath, ct);
        _http = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            // Every call carries its own cancellation (DockerEngine's per-call timeout); streams run indefinitely.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
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

    /// <summary>Sends a request; an answer outside 2xx (and 304, "already in that state") throws <see cref="EngineApiException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content, bool streamBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        var response = await _http.SendAsync(request, streamBody ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new EngineApiException(response.StatusCode, MessageOf(body, response.StatusCode));
        }
    }

    /// <summary>Sends a request and discards the answer's body.</summary>
    public async Task SendAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, pathAndQuery, null, streamBody: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> GetJsonAsync<T>(string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, null, streamBody: false, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResult> PostJsonAsync<TBody, TResult>(string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(HttpMethod.Post, pathAndQuery, content, streamBody: false, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, resultType, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

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

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("the engine answered null");
        }
        catch (JsonException e)
        {
            var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200));
            throw new EngineException($"engine answered {response.RequestMessage?.RequestUri?.AbsolutePath} with JSON that is not a {typeof(T).Name}: {e.Message} (starts: {text})", e);
        }
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
