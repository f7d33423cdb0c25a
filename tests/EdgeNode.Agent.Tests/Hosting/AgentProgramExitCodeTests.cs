using EdgeNode.Agent.Hosting;
using EdgeNode.Agent.Tests.Configuration;

namespace EdgeNode.Agent.Tests.Hosting;

/// <summary>What the process says and returns before the host runs: one line naming file, key and reason, and a distinct exit code.</summary>
public sealed class AgentProgramExitCodeTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentProgram.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Run_MissingConfig_Exits78NamingTheFile()
    {
        var path = Path.Combine(_fixture.Directory, "agent.json");
        var (code, _, err) = await RunAsync("--config", path);
        Assert.Equal(78, code);
        Assert.Equal($"edgenode-agent: config {path}: file not found (install the factory config there, or pass --config PATH)", err.Trim());
    }

    [Fact]
    public async Task Run_InvalidJson_Exits78WithLine()
    {
        var path = _fixture.Write("{\n  \"model\": \"x\",\n  \"hub\": [1,,2]\n}");
        var (code, _, err) = await RunAsync("--config", path);
        Assert.Equal(78, code);
        Assert.Contains($"config {path}: key 'hub", err, StringComparison.Ordinal);
        Assert.Contains("line 3", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadValue_Exits78NamingTheKey()
    {
        var path = _fixture.Write(ConfigFixture.ValidJson(_fixture.ProfilePath).Replace("\"heartbeatSeconds\": 5", "\"heartbeatSeconds\": -1", StringComparison.Ordinal));
        var (code, _, err) = await RunAsync("--config", path);
        Assert.Equal(78, code);
        Assert.Contains("key 'heartbeatSeconds': value -1 is out of range: must be between 1 and 3600", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidHardwareProfile_Exits78NamingProfileAndKey()
    {
        File.WriteAllText(_fixture.ProfilePath, """{ "model": "x", "leds": { "status-green": { "line": "zero" } } }""");
        var path = _fixture.Write(ConfigFixture.ValidJson(_fixture.ProfilePath));
        var (code, _, err) = await RunAsync("--config", path, "--state-dir", _fixture.StateDirectory);
        Assert.Equal(78, code);
        Assert.Contains("key 'hardwareProfile'", err, StringComparison.Ordinal);
        Assert.Contains(_fixture.ProfilePath, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StateDirectoryNotWritable_Exits73()
    {
        var blocker = Path.Combine(_fixture.Directory, "a-file");
        File.WriteAllText(blocker, "not a directory");
        var path = _fixture.Write(ConfigFixture.ValidJson(_fixture.ProfilePath));
        var (code, _, err) = await RunAsync("--config", path, "--state-dir", Path.Combine(blocker, "state"));
        Assert.Equal(73, code);
        Assert.Contains($"state directory {Path.Combine(blocker, "state")} is not writable", err, StringComparison.Ordinal);
    }

    /// <summary>(arguments, text the error must contain).</summary>
    public static TheoryData<string[], string> BadArguments => new()
    {
        // unknown option
        { ["--frobnicate"], "unknown argument '--frobnicate'" },
        // option without its value
        { ["--config"], "option --config needs a value" },
        // value swallowed by the next option
        { ["--config", "--simulate-hardware"], "option --config needs a value" },
        // empty inline value
        { ["--state-dir="], "option --state-dir needs a value" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Run_BadArguments_Exits64WithUsage(string[] args, string message)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.Equal(64, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Contains("usage: edgenode-agent", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_PrintsUsageAndExitCodes()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("78 config error", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InlineAndSeparateValues_AreEquivalent()
    {
        var a = AgentCommandLine.Parse(["--config=/x.json", "--state-dir", "/s", "--simulate-hardware"]);
        Assert.Equal("/x.json", a.ConfigPath);
        Assert.Equal("/s", a.StateDirectory);
        Assert.True(a.SimulateHardware);
    }
}
