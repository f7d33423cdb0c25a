using System.Buffers.Binary;
using System.Net;
using System.Text;
using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Engine.Api;
using Microsoft.Extensions.Options;

namespace EdgeNode.Supervisor.Tests.Engine;

/// <summary>The pieces of the agent's own Engine API client that parse what the engine sends.</summary>
public sealed class EngineApiParsingTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    [Fact]
    public void Decode_MultiplexedFrames_JoinsStdoutAndStderrInOrder()
    {
        var data = Frame(1, "out-1\n").Concat(Frame(2, "err-1\n")).Concat(Frame(1, "out-2\n")).ToArray();
        Assert.Equal("out-1\nerr-1\nout-2\n", LogStreamReader.Decode(data));
    }

    [Fact]
    public void Decode_TruncatedLastFrame_KeepsWhatArrived()
    {
        var data = Frame(1, "whole\n").Concat(Frame(1, "partial line\n")[..14]).ToArray();
        Assert.Equal("whole\npartia", LogStreamReader.Decode(data)); // 14 bytes = the 8-byte header + 6 of the payload
    }

    [Fact]
    public void Decode_RawTtyStream_ReturnsTextAsIs()
    {
        Assert.Equal("plain text log\n", LogStreamReader.Decode(Encoding.UTF8.GetBytes("plain text log\n")));
        Assert.Equal("", LogStreamReader.Decode([]));
    }

    [Fact]
    public void Decode_HugeLog_KeepsTheNewestBytes()
    {
        var text = new string('a', LogStreamReader.MaxBytes) + "newest";
        var decoded = LogStreamReader.Decode(Frame(1, text));
        Assert.Equal(LogStreamReader.MaxBytes, decoded.Length);
        Assert.EndsWith("newest", decoded);
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock", "http://docker.sock/", "/var/run/docker.sock")]
    [InlineData("tcp://10.0.0.5:2375", "http://10.0.0.5:2375/", null)]
    [InlineData("http://localhost:2375", "http://localhost:2375/", null)]
    public void ParseEndpoint_SupportedForms(string endpoint, string baseAddress, string? socket)
    {
        var (address, path) = EngineHttpClient.ParseEndpoint(endpoint);
        Assert.Equal(baseAddress, address.ToString());
        Assert.Equal(socket, path);
    }

    [Theory]
    [InlineData("docker.sock")]
    [InlineData("https://host:2376")]
    [InlineData("unix://")]
    [InlineData("npipe:////./pipe/docker_engine")]
    public void ParseEndpoint_Unsupported_SaysWhatIsExpected(string endpoint)
    {
        var e = Assert.Throws<ArgumentException>(() => EngineHttpClient.ParseEndpoint(endpoint));
        Assert.Contains(endpoint, e.Message);
        Assert.Contains("unix:///path/to/docker.sock", e.Message);
    }

    [Fact]
    public void Validator_UnsupportedEndpointScheme_NamesTheSetting()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            SupervisorOptionsValidator.ThrowIfInvalid(new SupervisorOptions { DockerEndpoint = "https://host:2376" }));
        Assert.Contains(e.Failures, f => f.StartsWith("Supervisor: docker endpoint 'https://host:2376' is not supported", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"message\":\"No such container: abc\"}", "No such container: abc")]
    [InlineData("page not found", "page not found")]
    [InlineData("{\"unexpected\":1}", "{\"unexpected\":1}")]
    [InlineData("{broken", "{broken")]
    [InlineData("  ", "404 NotFound")]
    public void MessageOf_PrefersTheEnginesMessage(string body, string expected) =>
        Assert.Equal(expected, EngineHttpClient.MessageOf(body, HttpStatusCode.NotFound));

    [Fact]
    public void ParseEvent_ContainerDie_CarriesAppExitCodeAndTime()
    {
        const string line = """
            {"status":"die","id":"c1","Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"137","io.edgenode.app":"web","image":"x"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789}
            """;
        var e = DockerEngine.ParseEvent(line);
        Assert.NotNull(e);
        Assert.Equal(EngineEventKind.Die, e.Kind);
        Assert.Equal("c1", e.ContainerId);
        Assert.Equal("web", e.App);
        Assert.Equal(137, e.ExitCode);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), e.Time);
    }

    [Theory]
    [InlineData("""{"Type":"container","Action":"exec_start: sh -c true","Actor":{"ID":"c1"}}""")]
    [InlineData("""{"Type":"network","Action":"connect","Actor":{"ID":"n1"}}""")]
    [InlineData("""{"Type":"container","Action":"start"}""")]
    [InlineData("")]
    public void ParseEvent_NoiseIsSkipped(string line) => Assert.Null(DockerEngine.ParseEvent(line));

    [Fact]
    public void ParseEvent_HealthTransitions()
    {
        Assert.Equal(EngineEventKind.Unhealthy, DockerEngine.ParseEvent("""{"Type":"container","Action":"health_status: unhealthy","Actor":{"ID":"c"}}""")!.Kind);
        Assert.Equal(EngineEventKind.Healthy, DockerEngine.ParseEvent("""{"Type":"container","Action":"health_status: healthy","Actor":{"ID":"c"}}""")!.Kind);
    }

    [Fact]
    public void ParseEvent_Garbage_IsAClearEngineError()
    {
        var e = Assert.Throws<EngineException>(() => DockerEngine.ParseEvent("{\"Type\":"));
        Assert.Contains("event stream sent a line that is not an event", e.Message);
    }

    [Fact]
    public void Filters_SelectOurScopeAsEngineJson()
    {
        var decoded = Uri.UnescapeDataString(DockerEngine.Filters("site-7", containersOnly: true));
        Assert.Equal("""{"label":["io.edgenode.managed=true","io.edgenode.scope=site-7"],"type":["container"]}""", decoded);
    }
}
