using System.Net.Sockets;
using System.Text;
using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Supervision.Engine;

namespace EdgeNode.Supervisor.Tests.Engine;

/// <summary>
/// The agent's Engine API client against a unix socket that answers like a broken engine (a foreign peer we script
/// byte for byte): every misbehaviour becomes one of our engine exceptions with a message that says what happened.
/// </summary>
public sealed class MisbehavingEngineTests : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "edgenode-fake-engine-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private Task? _server;

    private DockerEngine Start(Func<string, byte[]?> answer, TimeSpan? callTimeout = null)
    {
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(8);
        _server = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try { client = await _listener.AcceptAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var request = await ReadRequestAsync(client);
                        if (answer(request) is { } bytes) await client.SendAsync(bytes);
                        else await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }); // hang
                    }
                });
            }
        });
        return new DockerEngine(new SupervisorOptions
        {
            DockerEndpoint = "unix://" + _path,
            EngineCallTimeout = callTimeout ?? TimeSpan.FromSeconds(30),
        });
    }

    private static async Task<string> ReadRequestAsync(Socket client)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await client.ReceiveAsync(buffer);
            if (n == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return text.ToString().Split("\r\n")[0];
    }

    private static byte[] Http(string status, string body, string? contentType = "application/json") =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\n{(contentType is null ? "" : $"Content-Type: {contentType}\r\n")}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");

    [Fact]
    public async Task List_NotJson_IsAnEngineErrorNamingTheEndpointAndWhatCame()
    {
        using var engine = Start(_ => Http("200 OK", "<html>proxy error</html>", "text/html"));
        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ListManagedAsync("s", CancellationToken.None));
        Assert.Contains("/containers/json", e.Message);
        Assert.Contains("<html>proxy error", e.Message);
    }

    [Fact]
    public async Task Start_ServerError_CarriesTheEnginesMessage()
    {
        using var engine = Start(_ => Http("500 Internal Server Error", """{"message":"driver failed programming external connectivity"}"""));
        var e = await Assert.ThrowsAsync<EngineException>(() => engine.StartAsync("abc", CancellationToken.None));
        Assert.Equal("engine refused start of 'abc' (500): driver failed programming external connectivity", e.Message);
    }

    [Fact]
    public async Task Inspect_404_IsContainerNotFound()
    {
        using var engine = Start(request => request.StartsWith("GET /containers/json", StringComparison.Ordinal)
            ? Http("200 OK", """[{"Id":"gone"}]""")
            : Http("404 Not Found", """{"message":"No such container: gone"}"""));
        // A container removed between list and inspect is simply not listed.
        Assert.Empty(await engine.ListManagedAsync("s", CancellationToken.None));
    }

    [Fact]
    public async Task Response_CutOffMidBody_IsEngineUnavailable()
    {
        using var engine = Start(_ => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n[{\"Id\":"));
        var e = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.ListManagedAsync("s", CancellationToken.None));
        Assert.Contains("unavailable during list containers", e.Message);
    }

    [Fact]
    public async Task Engine_Hangs_IsEngineUnavailableAfterTheCallTimeout()
    {
        using var engine = Start(_ => null, callTimeout: TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));
        Assert.Contains("did not answer ping", e.Message);
    }

    [Fact]
    public async Task Pull_ErrorInsideTheProgressStream_IsImageNotFound()
    {
        using var engine = Start(_ => Http("200 OK",
            "{\"status\":\"Pulling from library/ghost\"}\r\n{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\r\n"));
        var e = await Assert.ThrowsAsync<ImageNotFoundException>(() => engine.PullAsync("ghost:1", CancellationToken.None));
        Assert.Equal("pull of image 'ghost:1' failed: manifest unknown", e.Message);
    }

    [Fact]
    public async Task Watch_StreamEnds_IsEngineUnavailableAfterDeliveringTheEvents()
    {
        using var engine = Start(_ => Http("200 OK",
            """{"Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"3","io.edgenode.app":"a"}},"timeNano":1}""" + "\n"));
        var seen = new List<EngineEvent>();
        var e = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.WatchAsync("s", DateTimeOffset.UnixEpoch, seen.Add, CancellationToken.None));
        Assert.Contains("event stream ended", e.Message);
        var die = Assert.Single(seen);
        Assert.Equal((EngineEventKind.Die, "a", 3), (die.Kind, die.App, die.ExitCode));
    }

    private static byte[] Chunked(params string[] chunks)
    {
        var body = new StringBuilder();
        foreach (var c in chunks) body.Append($"{Encoding.UTF8.GetByteCount(c):x};ext=1\r\n{c}\r\n");
        return Encoding.UTF8.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "0\r\nX-Trailer: t\r\n\r\n");
    }

    [Fact]
    public async Task Watch_ChunkedStream_EventsSplitAcrossChunksArriveWhole()
    {
        const string first = """{"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"io.edgenode.app":"a"}},"timeNano":1}""";
        const string second = """{"Type":"container","Action":"oom","Actor":{"ID":"c1","Attributes":{"io.edgenode.app":"a"}},"timeNano":2}""";
        using var engine = Start(_ => Chunked(first[..20], first[20..] + "\n" + second[..7], second[7..] + "\n"));
        var seen = new List<EngineEvent>();
        await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.WatchAsync("s", DateTimeOffset.UnixEpoch, seen.Add, CancellationToken.None));
        Assert.Equal([EngineEventKind.Start, EngineEventKind.Oom], seen.Select(e => e.Kind));
    }

    [Fact]
    public async Task Logs_ChunkedMultiplexed_Decoded()
    {
        var frame = new byte[8 + 6];
        frame[0] = 1;
        frame[7] = 6;
        "hello\n"u8.CopyTo(frame.AsSpan(8));
        using var engine = Start(_ => Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
            $"{frame.Length:x}\r\n" + Encoding.Latin1.GetString(frame) + "\r\n0\r\n\r\n"));
        Assert.Equal("hello\n", await engine.LogsTailAsync("c1", 10, CancellationToken.None));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "not an HTTP/1.1 status line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", "malformed Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed HTTP header")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size")]
    public async Task NotHttp_IsAClearEngineError(string answer, string expected)
    {
        using var engine = Start(_ => Encoding.ASCII.GetBytes(answer));
        var e = await Assert.ThrowsAsync<EngineException>(() => engine.ListManagedAsync("s", CancellationToken.None));
        Assert.Contains("sent a malformed answer to list containers", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task HeaderLine_Endless_IsRefused()
    {
        using var engine = Start(_ => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX-Junk: " + new string('x', 40_000) + "\r\n\r\n"));
        var e = await Assert.ThrowsAsync<EngineException>(() => engine.PingAsync(CancellationToken.None));
        Assert.Contains("longer than", e.Message);
    }

    [Fact]
    public async Task HeaderLineAndBody_LongerThanOneRead_AssembledWhole()
    {
        // A 10 KB header and a ~13 KB body each span several reads of the 4 KiB wire buffer.
        string body = "[" + string.Join(',', Enumerable.Range(0, 200).Select(i => $"{{\"RepoTags\":[\"edgenode/app-{i:D3}:{new string('1', 40)}\"]}}")) + "]";
        Assert.True(body.Length > 12_000);
        using var engine = Start(_ => Encoding.UTF8.GetBytes(
            $"HTTP/1.1 200 OK\r\nX-Long: {new string('x', 10_000)}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}"));

        var tags = await engine.ListImageTagsAsync(CancellationToken.None);

        Assert.Equal(200, tags.Count);
        Assert.Contains($"edgenode/app-199:{new string('1', 40)}", tags);
    }

    [Fact]
    public async Task Load_SendsTheTarballWithItsLength()
    {
        string? seen = null;
        using var engine = Start(request => { seen = request; return Http("200 OK", "{\"stream\":\"Loaded image: x:1\\n\"}\r\n"); });
        using var tar = new MemoryStream(new byte[20_000]);
        await engine.LoadAsync(tar, CancellationToken.None);
        Assert.Equal("POST /images/load?quiet=1 HTTP/1.1", seen);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        if (_server is not null) await _server;
        File.Delete(_path);
        _stop.Dispose();
    }
}
