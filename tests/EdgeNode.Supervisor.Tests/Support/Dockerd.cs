using System.Diagnostics;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>Stops and starts the machine's dockerd (same flags as scripts/start-dockerd.sh: --live-restore).</summary>
internal static class Dockerd
{
    public static int? Pid()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "dockerd") return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    public static async Task<bool> AnswersAsync() => await DockerCli.TryRunAsync("version", "--format", "{{.Server.Version}}");

    /// <summary>SIGTERM to dockerd and wait until the process is gone (containers keep running: --live-restore).</summary>
    public static async Task StopAsync()
    {
        var pid = Pid() ?? throw new InvalidOperationException("no dockerd process to stop");
        using (var kill = Process.Start("kill", ["-TERM", pid.ToString()])) await kill.WaitForExitAsync();
        await Poll.UntilAsync(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(30), $"dockerd (pid {pid}) to exit");
    }

    /// <summary>Starts dockerd through scripts/start-dockerd.sh (in its own session, so it outlives the test host).</summary>
    public static async Task EnsureRunningAsync()
    {
        if (await AnswersAsync()) return;
        var script = Path.Combine(RepoRoot(), "scripts", "start-dockerd.sh");
        var psi = new ProcessStartInfo("setsid", ["-w", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"start-dockerd.sh failed: {await outTask} {await errTask}");
        await Poll.UntilAsync(AnswersAsync, TimeSpan.FromSeconds(30), "dockerd to answer");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "test.sh")) && Directory.Exists(Path.Combine(dir.FullName, "scripts"))) return dir.FullName;
        throw new InvalidOperationException("repository root (with test.sh) not found above " + AppContext.BaseDirectory);
    }
}
