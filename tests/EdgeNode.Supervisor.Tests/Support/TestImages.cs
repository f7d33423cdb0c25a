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
}
