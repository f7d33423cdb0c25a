using System.Net;
using System.Text;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Transport;

namespace EdgeNode.Link.Tests.Interop;

/// <summary>Our <see cref="CoapServer"/> against libcoap's coap-client (OpenSSL and GnuTLS builds) over plain coap://.</summary>
[Trait("Category", "Interop")]
public sealed class LibcoapClientInteropTests : IAsyncLifetime
{
    private static readonly byte[] BigBody = MakeBody(10 * 1024);
    private readonly List<byte[]> uploads = [];
    private UdpTransport transport = null!;
    private CoapServer server = null!;

    public static TheoryData<string> Flavours => new() { "openssl", "gnutls" };

    private string BaseUri => $"coap://127.0.0.1:{transport.LocalEndPoint.Port}";

    public async Task InitializeAsync()
    {
        transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        server = new CoapServer(transport);
        server.Map(CoapMethod.Get, "hello", (_, _) => ValueTask.FromResult(CoapResponse.Content("hello from edgenode"u8.ToArray(), CoapContentFormats.TextPlain)), "rt=\"test.hello\";ct=0");
        server.Map(CoapMethod.Get, "big", (_, _) => ValueTask.FromResult(CoapResponse.Content(BigBody, CoapContentFormats.OctetStream)), "rt=\"test.big\"");
        server.Map(CoapMethod.Post, "st", (request, _) =>
        {
            lock (uploads)
            {
                uploads.Add(request.Payload.ToArray());
            }

            return ValueTask.FromResult(CoapResponse.Changed(Encoding.UTF8.GetBytes($"got {request.Payload.Length}")));
        });
        await server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await transport.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Flavours))]
    public async Task CoapClient_GetWellKnownCore_ListsMappedResources(string flavour)
    {
        var result = await LibcoapTool.RunAsync(LibcoapTool.ClientPath(flavour), ["-m", "get", "-B", "20", $"{BaseUri}/.well-known/core"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("</big>;rt=\"test.big\"", result.Stdout);
        Assert.Contains("</hello>;rt=\"test.hello\";ct=0", result.Stdout);
        Assert.Contains("</st>", result.Stdout);
    }

    [Fact]
    public async Task CoapClient_GetWellKnownCoreWithFilter_ListsMatchingOnly()
    {
        var result = await LibcoapTool.RunAsync(LibcoapTool.ClientPath("openssl"), ["-m", "get", "-B", "20", $"{BaseUri}/.well-known/core?rt=test.b*"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("</big>;rt=\"test.big\"", result.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(Flavours))]
    public async Task CoapClient_GetResource_PrintsPayload(string flavour)
    {
        var result = await LibcoapTool.RunAsync(LibcoapTool.ClientPath(flavour), ["-m", "get", "-B", "20", $"{BaseUri}/hello"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello from edgenode", result.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(Flavours))]
    public async Task CoapClient_GetUnknownResource_Reports404(string flavour)
    {
        var result = await LibcoapTool.RunAsync(LibcoapTool.ClientPath(flavour), ["-m", "get", "-B", "20", $"{BaseUri}/nope"]);

        Assert.Contains("4.04", result.Stdout + result.Stderr);
    }

    [Theory]
    [InlineData("openssl", null)]
    [InlineData("openssl", "1024")]
    [InlineData("openssl", "256")]
    [InlineData("gnutls", "1024")]
    public async Task CoapClient_GetTenKiB_Block2ReassemblesSameBytes(string flavour, string? blockSize)
    {
        string output = Path.Combine(Path.GetTempPath(), $"edgenode-block2-{Guid.NewGuid():N}.bin");
        try
        {
            List<string> arguments = ["-m", "get", "-B", "30", "-o", output];
            if (blockSize is not null)
            {
                arguments.AddRange(["-b", blockSize]);
            }

            arguments.Add($"{BaseUri}/big");
            var result = await LibcoapTool.RunAsync(LibcoapTool.ClientPath(flavour), arguments);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(BigBody, await File.ReadAllBytesAsync(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData("openssl", "1024")]
    [InlineData("openssl", "64")]
    [InlineData("gnutls", "512")]
    public async Task CoapClient_PostFile_Block1DeliversWholeBodyOnce(string flavour, string blockSize)
    {
        string input = Path.Combine(Path.GetTempPath(), $"edgenode-block1-{Guid.NewGuid():N}.bin");
        var body = MakeBody(5000);
        await File.WriteAllBytesAsync(input, body);
        try
        {
            var result = await LibcoapTool.RunAsync(LibcoapTool.ClientPath(flavour), ["-m", "post", "-B", "30", "-b", blockSize, "-f", input, $"{BaseUri}/st"]);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("got 5000", result.Stdout);
            lock (uploads)
            {
                var upload = Assert.Single(uploads);
                Assert.Equal(body, upload);
            }
        }
        finally
        {
            File.Delete(input);
        }
    }

    internal static byte[] MakeBody(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        return body;
    }
}
