using System.Net;
using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>coaps interop with a peer nobody here wrote: Debian's libcoap 4.3 (OpenSSL and GnuTLS builds).</summary>
public sealed class LibcoapInteropTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgenode-dtls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Clients => new()
    {
        "coap-client-openssl",
        "coap-client-gnutls",
    };

    private static string[] Psk(string identity, string key) => ["-k", key, "-u", identity];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task LibcoapClient_GetOverCoaps_ReadsWellKnownCoreAndResource(string tool)
    {
        await using var harness = await CoapsHarness.StartAsync();

        var core = await LibcoapTool.RunAsync(tool,
            ["-m", "get", "-B", "30", .. Psk(CoapsHarness.Identity, CoapsHarness.KeyText), $"coaps://127.0.0.1:{harness.Port}/.well-known/core"], ToolTimeout);
        Assert.True(core.ExitCode == 0, core.ToString());
        Assert.Contains("</hello>", core.Stdout);
        Assert.Contains("</big>", core.Stdout);

        var hello = await LibcoapTool.RunAsync(tool,
            ["-m", "get", "-B", "30", .. Psk(CoapsHarness.Identity, CoapsHarness.KeyText), $"coaps://127.0.0.1:{harness.Port}/hello"], ToolTimeout);
        Assert.True(hello.ExitCode == 0, hello.ToString());
        Assert.Equal($"hello {CoapsHarness.Identity}", hello.Stdout.Trim()); // the handler saw the PSK identity
        Assert.Equal(2, harness.Transport.Metrics.HandshakesSucceeded);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task LibcoapClient_GcmOnlyServer_NegotiatesAes128GcmSha256(string tool)
    {
        await using var harness = await CoapsHarness.StartAsync(new DtlsOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(20),
            CipherSuites = [DtlsCipherSuite.PskWithAes128GcmSha256],
        });

        var hello = await LibcoapTool.RunAsync(tool,
            ["-m", "get", "-B", "30", .. Psk(CoapsHarness.Identity, CoapsHarness.KeyText), $"coaps://127.0.0.1:{harness.Port}/hello"], ToolTimeout);

        output.WriteLine(hello.ToString());
        output.WriteLine(harness.Logger.Dump());
        Assert.True(hello.ExitCode == 0, hello.ToString());
        Assert.Equal($"hello {CoapsHarness.Identity}", hello.Stdout.Trim());
        Assert.Contains(harness.Logger.Lines, l => l.EventId == 2101 && l.Text.Contains(nameof(DtlsCipherSuite.PskWithAes128GcmSha256)));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task LibcoapClient_Block2OverCoaps_Gets10KiBExactly(string tool)
    {
        await using var harness = await CoapsHarness.StartAsync();
        var output = Path.Combine(_dir, "big.bin");

        var result = await LibcoapTool.RunAsync(tool,
            ["-m", "get", "-B", "30", "-o", output, .. Psk(CoapsHarness.Identity, CoapsHarness.KeyText), $"coaps://127.0.0.1:{harness.Port}/big"], ToolTimeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CoapsHarness.Big, File.ReadAllBytes(output));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task LibcoapClient_Block1UploadOverCoaps_ServerGetsExactBody(string tool)
    {
        await using var harness = await CoapsHarness.StartAsync();
        var input = Path.Combine(_dir, "upload.bin");
        var body = CoapsHarness.Big.Reverse().Take(5000).ToArray();
        File.WriteAllBytes(input, body);

        var result = await LibcoapTool.RunAsync(tool,
            ["-m", "post", "-b", "1024", "-B", "30", "-f", input, .. Psk(CoapsHarness.Identity, CoapsHarness.KeyText), $"coaps://127.0.0.1:{harness.Port}/upload"], ToolTimeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("got 5000", result.Stdout.Trim());
        Assert.Equal(body, harness.Uploaded);
        Assert.Equal(CoapsHarness.Identity, harness.UploadIdentity);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task LibcoapClient_WrongKey_RefusedAndServerLogsIdentityOnceWithoutKey(string tool)
    {
        await using var harness = await CoapsHarness.StartAsync(new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(3) });
        const string wrongKey = "not-the-right-key";

        var result = await LibcoapTool.RunAsync(tool,
            ["-m", "get", "-B", "10", .. Psk(CoapsHarness.Identity, wrongKey), $"coaps://127.0.0.1:{harness.Port}/hello"], ToolTimeout);

        AssertRefused(result);
        Assert.True(await Eventually.TrueAsync(() => harness.Transport.Metrics.HandshakesFailed >= 1), harness.Transport.Metrics.ToString());
        Assert.Equal(0, harness.Transport.Metrics.HandshakesSucceeded);
        var failures = harness.Logger.Lines.Where(l => l.EventId == 2102).ToArray();
        foreach (var failure in failures)
            output.WriteLine(failure.Text);
        Assert.Equal(harness.Transport.Metrics.HandshakesFailed, failures.Length); // one line per failed handshake
        // A wrong PSK produces no alert: the client's Finished does not decrypt and the server times out.
        Assert.Equal(harness.Transport.Metrics.HandshakesFailed, harness.Transport.Metrics.HandshakesFailedBy(DtlsHandshakeFailure.Timeout));
        Assert.All(failures, l => Assert.Contains($"'{CoapsHarness.Identity}'", l.Text));
        Assert.DoesNotContain(wrongKey, harness.Logger.Dump());
        DtlsLoopbackTests.AssertNoKeyIn(harness.Logger, CoapsHarness.Key);
        DtlsLoopbackTests.AssertNoKeyIn(harness.Logger, Encoding.ASCII.GetBytes(wrongKey));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task LibcoapClient_UnknownIdentity_RefusedAndCounted(string tool)
    {
        await using var harness = await CoapsHarness.StartAsync(new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(3) });

        var result = await LibcoapTool.RunAsync(tool,
            ["-m", "get", "-B", "10", .. Psk("intruder", CoapsHarness.KeyText), $"coaps://127.0.0.1:{harness.Port}/hello"], ToolTimeout);

        AssertRefused(result);
        Assert.True(await Eventually.TrueAsync(() => harness.Transport.Metrics.HandshakesFailedBy(DtlsHandshakeFailure.UnknownIdentity) >= 1),
            harness.Transport.Metrics.ToString());
        Assert.Contains(harness.Logger.Lines, l => l.EventId == 2102 && l.Text.Contains("'intruder'") && l.Text.Contains("unknown_identity"));
        DtlsLoopbackTests.AssertNoKeyIn(harness.Logger, CoapsHarness.Key);
    }

    /// <summary>
    /// libcoap 4.3.1's coap-client exits 0 even when the DTLS handshake is refused (verified with both builds): it
    /// logs the failure ("cannot send CoAP pdu") and prints no payload. So the proof is the absent payload plus
    /// its own failure report, not the exit code alone.
    /// </summary>
    private static void AssertRefused(LibcoapTool.ToolResult result)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.DoesNotContain("hello dev", result.Stdout);
        Assert.True(result.ExitCode != 0 || result.Stdout.Contains("cannot send CoAP pdu", StringComparison.Ordinal), result.ToString());
    }

    [Fact]
    public async Task OurClient_GetFromLibcoapServer_ReturnsContent()
    {
        await using var server = await LibcoapServer.StartAsync("libcoap-key", "EdgeNodeHint");
        await using var transport = await DtlsClientTransport.ConnectAsync(server.CoapsEndPoint, "dev-7",
            Encoding.ASCII.GetBytes("libcoap-key"), new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(20) });
        await using var client = new CoapClient(transport, new PeerAddress(server.CoapsEndPoint));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.SendAsync(CoapMethod.Get, "", ct: cts.Token);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Contains("libcoap", response.PayloadText);
        Assert.Equal(DtlsCipherSuite.PskWithAes128Ccm8, transport.CipherSuite);
    }

    [Fact]
    public async Task OurClient_WrongKeyAgainstLibcoapServer_FailsWithinTheTimeout()
    {
        await using var server = await LibcoapServer.StartAsync("libcoap-key", "EdgeNodeHint");
        var timeout = TimeSpan.FromSeconds(3);
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => DtlsClientTransport.ConnectAsync(server.CoapsEndPoint, "dev-42",
            Encoding.ASCII.GetBytes("wrong-key"), new DtlsOptions { HandshakeTimeout = timeout }));

        Assert.Contains($"DTLS handshake with 127.0.0.1:{server.CoapsEndPoint.Port} as 'dev-42' failed", error.Message);
        Assert.Contains("wrong key or unknown identity?", error.Message);
        Assert.DoesNotContain("wrong-key", error.Message);
        // Bounded by the handshake timeout (plus slack for a loaded machine), not hanging forever.
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, timeout + TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task OurClient_ResumableSession_ResumesWithLibcoapServer()
    {
        await using var server = await LibcoapServer.StartAsync("libcoap-key", "EdgeNodeHint");
        var key = Encoding.ASCII.GetBytes("libcoap-key");
        var options = new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(20) };
        DtlsClientSession? session;
        await using (var first = await DtlsClientTransport.ConnectAsync(server.CoapsEndPoint, "dev-7", key, options))
        {
            Assert.False(first.IsResumed);
            session = first.ResumableSession;
        }
        Assert.NotNull(session);

        await using var second = await DtlsClientTransport.ConnectAsync(server.CoapsEndPoint, "dev-7", key, options, session, null, CancellationToken.None);
        Assert.True(second.IsResumed);
        await using var client = new CoapClient(second, new PeerAddress(server.CoapsEndPoint));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(CoapCode.Content, (await client.SendAsync(CoapMethod.Get, "", ct: cts.Token)).Code);
    }
}
