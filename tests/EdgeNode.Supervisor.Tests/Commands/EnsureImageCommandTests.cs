using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Supervision.Commands;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Link.Contracts;
using EdgeNode.Supervisor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Supervisor.Tests.Commands;

/// <summary>The pull / cache decision order of <see cref="EnsureImageCommand"/> over a scripted engine (the real load is an integration test).</summary>
public sealed class EnsureImageCommandTests : IDisposable
{
    private const string Image = "acme/app:1";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("edgenode-ensure-");
    private readonly FakeEngine _engine = new();
    private readonly CommandContext _context;

    public EnsureImageCommandTests()
    {
        _context = new CommandContext(_engine, new ImageCache(_dir.FullName), new SupervisorOptions(), NullLogger.Instance);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private void Cache()
    {
        var path = Path.Combine(_dir.FullName, "app.tar");
        using (var file = File.Create(path))
        using (var writer = new System.Formats.Tar.TarWriter(file))
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "manifest.json")
            {
                DataStream = new MemoryStream("""[{"RepoTags":["acme/app:1"]}]"""u8.ToArray()),
            });
        _engine.LoadProvides = _ => [Image];
    }

    [Fact]
    public async Task IfNotPresent_InCache_LoadsWithoutPull()
    {
        Cache();
        await new EnsureImageCommand("a", Image, PullPolicy.IfNotPresent, false).ExecuteAsync(_context, default);
        Assert.Equal(["load"], _engine.Calls);
    }

    [Fact]
    public async Task IfNotPresent_NotInCache_Pulls()
    {
        _engine.PullError = _ => null;
        await new EnsureImageCommand("a", Image, PullPolicy.IfNotPresent, false).ExecuteAsync(_context, default);
        Assert.Equal(["pull acme/app:1"], _engine.Calls);
    }

    [Fact]
    public async Task Always_PullFails_FallsBackToCache()
    {
        Cache();
        await new EnsureImageCommand("a", Image, PullPolicy.Always, true).ExecuteAsync(_context, default);
        Assert.Equal(["pull acme/app:1", "load"], _engine.Calls);
    }

    [Fact]
    public async Task Always_PullFailsNoCache_KeepsPresentCopy()
    {
        await new EnsureImageCommand("a", Image, PullPolicy.Always, Present: true).ExecuteAsync(_context, default);
        Assert.Equal(["pull acme/app:1"], _engine.Calls);
    }

    [Fact]
    public async Task Never_NotInCache_ImageNotFoundWithoutPull()
    {
        var e = await Assert.ThrowsAsync<ImageNotFoundException>(() => new EnsureImageCommand("a", Image, PullPolicy.Never, false).ExecuteAsync(_context, default));
        Assert.Empty(_engine.Calls);
        Assert.Contains("pull policy never", e.Message);
        Assert.Contains("app 'a'", e.Message);
    }

    [Fact]
    public async Task NowhereToBeFound_ErrorNamesImagePullReasonAndCache()
    {
        var e = await Assert.ThrowsAsync<ImageNotFoundException>(() => new EnsureImageCommand("a", Image, PullPolicy.IfNotPresent, false).ExecuteAsync(_context, default));
        Assert.Equal(Image, e.Image);
        Assert.Contains("no registry", e.Message);
        Assert.Contains(_dir.FullName, e.Message);
    }

    [Fact]
    public async Task CacheTarballWithoutTheImage_LoadedButReportedAsWrong()
    {
        Cache();
        _engine.LoadProvides = _ => ["other:1"];
        var e = await Assert.ThrowsAsync<EngineException>(() => new EnsureImageCommand("a", Image, PullPolicy.Never, false).ExecuteAsync(_context, default));
        Assert.Contains("did not provide image 'acme/app:1'", e.Message);
    }
}
