using System.Text.Json;

namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>
/// The factory image built by <c>images/build-image.sh</c> (raw ext4 + kernel + initrd in <c>images/out/</c>)
/// and the factory config baked into it.
/// </summary>
public sealed class FactoryImage
{
    private FactoryImage(string repoRoot)
    {
        RepoRoot = repoRoot;
        OutDirectory = Path.Combine(repoRoot, "images", "out");
        DiskPath = Path.Combine(OutDirectory, "edgenode-factory.img");
        KernelPath = Path.Combine(OutDirectory, "vmlinuz");
        InitrdPath = Path.Combine(OutDirectory, "initrd.img");
        FactoryConfigPath = Path.Combine(repoRoot, "images", "config", "factory-qemu-ipc.json");
    }

    public string RepoRoot { get; }
    public string OutDirectory { get; }
    public string DiskPath { get; }
    public string KernelPath { get; }
    public string InitrdPath { get; }
    /// <summary>The agent config the image carries as /etc/edgenode/agent.json.</summary>
    public string FactoryConfigPath { get; }

    /// <summary>Where e2e runs keep their disks, serial logs and timings (under artifacts/, gitignored).</summary>
    public string ArtifactsDirectory => Path.Combine(RepoRoot, "artifacts", "e2e");

    /// <summary>Finds the repository (the folder holding test.sh) and checks that the image was built.</summary>
    public static FactoryImage Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "test.sh")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"repository root (a folder with test.sh) not found above {AppContext.BaseDirectory}");
        }

        var image = new FactoryImage(dir.FullName);
        foreach (var file in new[] { image.DiskPath, image.KernelPath, image.InitrdPath })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException(
                    $"factory image file '{file}' is missing: build it with scripts/publish-agent.sh && images/build-image.sh (test.sh does both)", file);
            }
        }

        return image;
    }

    /// <summary>Reads a string from the factory config by a JSON path such as "hub/enrollment/identity".</summary>
    public string ReadFactoryConfig(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FactoryConfigPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var element = doc.RootElement;
        foreach (var part in path.Split('/'))
        {
            if (!element.TryGetProperty(part, out element))
            {
                throw new KeyNotFoundException($"factory config '{FactoryConfigPath}' has no key '{path}'");
            }
        }

        return element.ValueKind == JsonValueKind.Array ? element[0].GetString()! : element.ToString();
    }
}
