using System.Diagnostics;

namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>Runs a host tool to completion with a deadline and returns its exit code and output.</summary>
public static class ProcessRunner
{
    public static async Task<GuestResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout.TotalSeconds:0} s");
        }

        return new GuestResult(process.ExitCode, await stdout + await stderr);
    }
}
