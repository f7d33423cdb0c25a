using EdgeNode.Agent.Configuration;

namespace EdgeNode.Agent.Tests.Configuration;

/// <summary>The configs the factory image ships (images/config/*.json) load with this agent's loader: a key the agent
/// does not know, or a bad value, would otherwise only show up as exit 78 in a booted image.</summary>
public sealed class ImageConfigTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    public static TheoryData<string> ImageConfigs()
    {
        var data = new TheoryData<string>();
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var dir = Path.Combine(d.FullName, "images", "config");
            if (File.Exists(Path.Combine(d.FullName, "EdgeNode.sln")) && Directory.Exists(dir))
            {
                foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(file));
                }

                return data;
            }
        }

        throw new InvalidOperationException("images/config not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [MemberData(nameof(ImageConfigs))]
    public void Load_ImageConfig_IsValid(string name)
    {
        var source = FindRepoFile(Path.Combine("images", "config", name));
        var json = File.ReadAllText(source);
        var profile = System.Text.RegularExpressions.Regex.Match(json, "\"hardwareProfile\"\\s*:\\s*\"([^\"]+)\"");
        Assert.True(profile.Success, $"{name} names no hardwareProfile");
        var path = _fixture.Write(json.Replace(profile.Groups[1].Value, _fixture.ProfilePath, StringComparison.Ordinal), name);

        var config = AgentConfigLoader.Load(path, _ => "/var/lib/edgenode");
        Assert.NotEmpty(config.HubEndpoints);
        Assert.True(config.LoopDeadline > config.RequestTimeout);
    }

    private static string FindRepoFile(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
