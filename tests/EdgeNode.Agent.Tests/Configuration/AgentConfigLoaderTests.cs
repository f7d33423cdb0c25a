using EdgeNode.Agent.Configuration;

namespace EdgeNode.Agent.Tests.Configuration;

public sealed class AgentConfigLoaderTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Load_ValidFile_AppliesDefaultsAndResolvesValues()
    {
        var path = _fixture.Write(ConfigFixture.ValidJson(_fixture.ProfilePath, "hub.example.com"));
        var config = AgentConfigLoader.Load(path, name => name == "STATE_DIRECTORY" ? "/var/lib/edgenode-x:/other" : null);

        Assert.Equal(_fixture.ProfilePath, config.HardwareProfilePath);
        Assert.Equal([new HubEndpoint("hub.example.com", 5684)], config.HubEndpoints);
        Assert.False(config.PlainCoap);
        Assert.Equal("fleet-test", config.EnrollmentIdentity);
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff"), config.EnrollmentKey);
        Assert.Equal(TimeSpan.FromSeconds(5), config.HeartbeatInterval);
        Assert.Equal("/var/lib/edgenode-x", config.StateDirectory); // first of STATE_DIRECTORY's list
        Assert.Equal("/var/lib/edgenode-x/image-cache", config.ImageCacheDirectory);
        Assert.Equal("edgenode", config.ContainerScope);
        Assert.Equal(TimeSpan.FromSeconds(1), config.ReconnectInitial);
        Assert.Equal(TimeSpan.FromSeconds(300), config.ReconnectMax);
        Assert.Equal(TimeSpan.FromSeconds(60), config.LoopDeadline);
        Assert.Equal(512, config.CapacityMemoryMb);
    }

    [Fact]
    public void Load_ContainerScope_TakenFromDockerSection()
    {
        var json = ConfigFixture.ValidJson(_fixture.ProfilePath)
            .Replace("unix:///var/run/docker.sock\"", "unix:///var/run/docker.sock\", \"scope\": \"soak-1\"", StringComparison.Ordinal);
        Assert.Equal("soak-1", AgentConfigLoader.Load(_fixture.Write(json), _ => null).ContainerScope);
    }

    [Fact]
    public void Load_StateDirectory_CommandLineWinsOverConfigAndEnvironment()
    {
        var path = _fixture.Write(ConfigFixture.ValidJson(_fixture.ProfilePath, stateDirectory: "/from/config"));
        Assert.Equal("/from/config", AgentConfigLoader.Load(path, _ => "/from/env").StateDirectory);
        Assert.Equal("/from/cli", AgentConfigLoader.Load(path, _ => "/from/env", "/from/cli").StateDirectory);
        var noOverride = _fixture.Write(ConfigFixture.ValidJson(_fixture.ProfilePath), "plain.json");
        Assert.Equal(AgentConfigLoader.DefaultStateDirectory, AgentConfigLoader.Load(noOverride, _ => null).StateDirectory);
    }

    [Theory]
    [InlineData("10.0.2.2", "10.0.2.2", 5684)]
    [InlineData("10.0.2.2:6000", "10.0.2.2", 6000)]
    [InlineData("hub-1.example", "hub-1.example", 5684)]
    [InlineData("[fd00::1]:7000", "fd00::1", 7000)]
    [InlineData("fd00::1", "fd00::1", 5684)]
    public void ParseEndpoint_ValidForms_GiveHostAndPort(string text, string host, int port) =>
        Assert.Equal(new HubEndpoint(host, port), AgentConfigLoader.ParseEndpoint("f", "k", text, 5684));

    /// <summary>(file content, expected key, text the reason must contain). The profile path placeholder is {P}.</summary>
    public static TheoryData<string, string?, string> BadConfigs => new()
    {
        // empty file
        { "", null, "empty" },
        // JSON syntax error on line 3: the message carries the line
        { "{\n  \"model\": \"x\",\n  \"hub\": { \"port\": 5684 \n}", null, "line 4" },
        // a typo in a key is not silently ignored
        { Replace("\"heartbeatSeconds\"", "\"heartbeatSecs\""), "heartbeatSecs", "unknown key 'heartbeatSecs'" },
        // wrong type: a string where a number belongs
        { Replace("\"port\": 5684", "\"port\": \"fast\""), "hub.port", "expected a whole number" },
        // wrong type: an object where a list belongs
        { Replace("\"addresses\": [\"127.0.0.1\"]", "\"addresses\": \"127.0.0.1\""), "hub.addresses", "wrong type" },
        // missing section
        { Remove("\"hub\": { \"addresses\": [\"127.0.0.1\"], \"port\": 5684, \"plainCoap\": false, \"requestTimeoutSeconds\": 10 },"), "hub", "missing" },
        // missing key inside a section
        { Replace("\"identity\": \"fleet-test\", ", ""), "enrollment.identity", "missing" },
        // missing hardware profile reference
        { Replace("\"hardwareProfile\": \"{P}\",", ""), "hardwareProfile", "missing" },
        // the referenced hardware profile does not exist
        { Replace("{P}", "/nonexistent/profile.json"), "hardwareProfile", "/nonexistent/profile.json does not exist" },
        // empty address list
        { Replace("[\"127.0.0.1\"]", "[]"), "hub.addresses", "at least one hub address" },
        // address with a port out of range
        { Replace("[\"127.0.0.1\"]", "[\"10.0.0.1:70000\"]"), "hub.addresses[0]", "out of range" },
        // address with garbage
        { Replace("[\"127.0.0.1\"]", "[\"hub example\"]"), "hub.addresses[0]", "not a valid host name" },
        // port out of range
        { Replace("\"port\": 5684", "\"port\": 0"), "hub.port", "between 1 and 65535" },
        // heartbeat zero
        { Replace("\"heartbeatSeconds\": 5", "\"heartbeatSeconds\": 0"), "heartbeatSeconds", "between 1 and 3600" },
        // a key that is not valid hex
        { Replace("hex:00112233445566778899aabbccddeeff", "hex:xyz"), "enrollment.key", "not valid hexadecimal" },
        // a key too short to be a PSK
        { Replace("hex:00112233445566778899aabbccddeeff", "abc"), "enrollment.key", "at least 8 bytes" },
        // docker endpoint that is not a URI of a known scheme
        { Replace("unix:///var/run/docker.sock", "/var/run/docker.sock"), "docker.endpoint", "not a Docker endpoint" },
        // a TLS-protected remote engine (the agent speaks plain HTTP to its local engine)
        { Replace("unix:///var/run/docker.sock", "https://engine:2376"), "docker.endpoint", "a TLS-protected engine is not supported" },
        // a container scope that cannot prefix a container name
        { Replace("unix:///var/run/docker.sock\"", "unix:///var/run/docker.sock\", \"scope\": \"Edge Node\""), "docker.scope", "not a container scope" },
        // capacity missing memory
        { Replace("\"memoryMb\": 512, ", ""), "capacity.memoryMb", "missing" },
        // loop deadline shorter than a request may take
        { Replace("\"heartbeatSeconds\": 5", "\"heartbeatSeconds\": 5, \"loopDeadlineSeconds\": 8"), "loopDeadlineSeconds", "must be larger than hub.requestTimeoutSeconds" },
        // relative freeze flag
        { Replace("/run/edgenode/freeze-loops", "freeze"), "freezeFlagPath", "absolute path" },
        // JSON null instead of an object
        { "null", null, "expected an object" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Load_BadConfig_ErrorNamesFileKeyAndReason(string content, string? key, string reason)
    {
        var path = _fixture.Write(content.Replace("{P}", _fixture.ProfilePath, StringComparison.Ordinal));
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Load(path, _ => null));

        Assert.Equal(path, error.File);
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"config {path}: ", error.Message, StringComparison.Ordinal);
        if (key is not null)
        {
            Assert.Contains($"key '{key}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_MissingFile_SaysFileNotFound()
    {
        var path = Path.Combine(_fixture.Directory, "absent.json");
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Load(path));
        Assert.Equal($"config {path}: file not found (install the factory config there, or pass --config PATH)", error.Message);
    }

    [Fact]
    public void Load_MissingDirectory_SaysDirectoryDoesNotExist()
    {
        var path = Path.Combine(_fixture.Directory, "nope", "agent.json");
        var error = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Load(path));
        Assert.Contains("directory does not exist", error.Message, StringComparison.Ordinal);
    }

    private static string Valid => ConfigFixture.ValidJson("{P}");

    private static string Replace(string what, string with)
    {
        Assert.Contains(what, Valid, StringComparison.Ordinal);
        return Valid.Replace(what, with, StringComparison.Ordinal);
    }

    private static string Remove(string what) => Replace(what, "");
}
