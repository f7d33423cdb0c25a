using System.Diagnostics;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>The docker CLI, for test-side setup the supervisor must not do itself (import, save, kill, unlabeled containers).</summary>
internal static class DockerCli
{
    public static async Task<string> RunAsync(params string[] args) => await RunAsync(null, args);

    public static async Task<string> RunAsync(Stream? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await stdin.CopyToAsync(p.StandardInput.BaseStream);
            p.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        return (await stdout).Trim();
    }

    public static async Task<bool> TryRunAsync(params string[] args)
    {
        try { await RunAsync(args); return true; }
        catch (InvalidOperationException) { return false; }
    }
}
