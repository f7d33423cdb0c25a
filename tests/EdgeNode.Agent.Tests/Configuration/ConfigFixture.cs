namespace EdgeNode.Agent.Tests.Configuration;

/// <summary>A temporary directory with a valid agent.json and hardware profile; tests write variants next to it.</summary>
internal sealed class ConfigFixture : IDisposable
{
    public const string HardwareProfileJson = """
        {
          "model": "test-ipc",
          "gpioChip": "gpiochip0",
          "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 }, "status-amber": { "line": 2 } },
          "watchdog": { "device": "/dev/watchdog", "timeoutSeconds": 60, "magicCloseOnStop": true }
        }
        """;

    public ConfigFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "edgenode-agent-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ProfilePath = Path.Combine(Directory, "profile.json");
        File.WriteAllText(ProfilePath, HardwareProfileJson);
        StateDirectory = Path.Combine(Directory, "state");
    }

    public string Directory { get; }

    public string ProfilePath { get; }

    public string StateDirectory { get; }

    public static string ValidJson(string profilePath, string hubAddress = "127.0.0.1", int port = 5684, bool plain = false, string stateDirectory = "", string freezeFlag = "/run/edgenode/freeze-loops") => $$"""
        {
          // factory config (comments are allowed)
          "hardwareProfile": "{{profilePath}}",
          "model": "test-ipc",
          "hub": { "addresses": ["{{hubAddress}}"], "port": {{port}}, "plainCoap": {{(plain ? "true" : "false")}}, "requestTimeoutSeconds": 10 },
          "enrollment": { "identity": "fleet-test", "key": "hex:00112233445566778899aabbccddeeff" },
          "heartbeatSeconds": 5,
          "docker": { "endpoint": "unix:///var/run/docker.sock" },
          "capacity": { "memoryMb": 512, "cpuMillis": 1500 },
          {{(stateDirectory.Length > 0 ? $"\"stateDirectory\": \"{stateDirectory}\"," : "")}}
          "freezeFlagPath": "{{freezeFlag}}",
        }
        """;

    public string Write(string json, string name = "agent.json")
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
