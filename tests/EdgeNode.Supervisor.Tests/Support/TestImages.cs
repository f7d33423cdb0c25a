using System.Formats.Tar;
using System.Text;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>Makes further test images from edgenode/busybox:test (there is no registry): a container writes a file, then export | import.</summary>
internal static class TestImages
{
    /// <summary>Creates <paramref name="image"/> with /version = <paramref name="version"/>, a LABEL and a CMD, distinct from the base.</summary>
    public static async Task CreateAsync(string image, string version)
    {
        var builder = "build-" + Guid.NewGuid().ToString("N")[..10];
        await DockerCli.RunAsync("run", "--name", builder, Apps.Image, "/bin/sh", "-c", $"echo {version} > /version");
        try
        {
            var tar = Path.Combine(Path.GetTempPath(), builder + ".tar");
            await DockerCli.RunAsync("export", "-o", tar, builder);
            try
            {
                await DockerCli.RunAsync("import", "--change", $"LABEL version={version}",
                    "--change", "CMD [\"/bin/sh\",\"-c\",\"trap 'exit 0' TERM; cat /version; while :; do sleep 0.1; done\"]", tar, image);
            }
            finally
            {
                File.Delete(tar);
            }
        }
        finally
        {
            await DockerCli.TryRunAsync("rm", "-f", builder);
        }
    }

    /// <summary>
    /// Writes a <c>docker save</c> tarball of <paramref name="builtImage"/> whose manifest names it
    /// <paramref name="repoTag"/>, so that <paramref name="repoTag"/> never exists in the engine before it is loaded.
    /// </summary>
    public static async Task SaveRenamedAsync(string builtImage, string repoTag, string path)
    {
        var raw = path + ".raw";
        await DockerCli.RunAsync("save", "-o", raw, builtImage);
        try
        {
            await using var input = File.OpenRead(raw);
            await using var output = File.Create(path);
            using var reader = new TarReader(input);
            using var writer = new TarWriter(output, TarEntryFormat.Pax);
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.Name == "repositories") continue; // legacy tag file; manifest.json is enough for docker load
                if (entry.Name == "manifest.json" && entry.DataStream is not null)
                {
                    var text = await new StreamReader(entry.DataStream).ReadToEndAsync();
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json")
                    {
                        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text.Replace(builtImage, repoTag))),
                    });
                    continue;
                }
                writer.WriteEntry(entry);
            }
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
