using System.Formats.Tar;
using System.Text;
using EdgeNode.Agent.Supervision.Images;

namespace EdgeNode.Supervisor.Tests.Images;

public sealed class ImageCacheTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("edgenode-cache-unit-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteTar(string name, string? manifest, string prefix = "")
    {
        var path = Path.Combine(_dir.FullName, name);
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        var layer = new PaxTarEntry(TarEntryType.RegularFile, prefix + "abc/layer.tar") { DataStream = new MemoryStream([1, 2, 3]) };
        writer.WriteEntry(layer);
        if (manifest is not null)
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, prefix + "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
        return path;
    }

    [Fact]
    public void Find_ImageInAManifest_ReturnsItsTarball()
    {
        var path = WriteTar("anything.tar", """[{"Config":"c.json","RepoTags":["acme/app:1","acme/app:stable"],"Layers":["abc/layer.tar"]}]""");
        var cache = new ImageCache(_dir.FullName);
        Assert.Equal(path, cache.Find("acme/app:stable"));
        Assert.Equal(path, cache.Find("docker.io/acme/app:1"));
        Assert.Null(cache.Find("acme/app:2"));
        Assert.Empty(cache.Problems);
    }

    [Fact]
    public void Find_ManifestWithDotSlashPrefix_Read()
    {
        var path = WriteTar("x.tar", """[{"RepoTags":["busybox:latest"]}]""", prefix: "./");
        Assert.Equal(path, new ImageCache(_dir.FullName).Find("busybox"));
    }

    [Fact]
    public void Find_FileAddedLater_Indexed()
    {
        var cache = new ImageCache(_dir.FullName);
        Assert.Null(cache.Find("late:1"));
        var path = WriteTar("late.tar", """[{"RepoTags":["late:1"]}]""");
        Assert.Equal(path, cache.Find("late:1"));
        File.Delete(path);
        Assert.Null(cache.Find("late:1"));
    }

    public static TheoryData<string, string?> BrokenTarballs => new()
    {
        { "no-manifest.tar", null },                    // a tar, but not docker save output
        { "bad-json.tar", "[{\"RepoTags\": [" },       // truncated manifest.json
    };

    [Theory]
    [MemberData(nameof(BrokenTarballs))]
    public void Find_BrokenTarball_SkippedWithProblem(string name, string? manifest)
    {
        WriteTar(name, manifest);
        var good = WriteTar("good.tar", """[{"RepoTags":["ok:1"]}]""");
        var cache = new ImageCache(_dir.FullName);
        Assert.Equal(good, cache.Find("ok:1"));
        Assert.Contains(cache.Problems, p => p.Contains(name) && p.Contains("unreadable"));
    }

    [Fact]
    public void Find_NotATarAtAll_SkippedWithProblem()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "junk.tar"), "this is not a tarball, just text that is long enough to be read as a header block? no.");
        var cache = new ImageCache(_dir.FullName);
        Assert.Null(cache.Find("x:1"));
        Assert.Single(cache.Problems);
    }

    [Fact]
    public void Find_DirectoryMissing_NullNoThrow()
    {
        Assert.Null(new ImageCache(Path.Combine(_dir.FullName, "absent")).Find("x:1"));
    }
}
