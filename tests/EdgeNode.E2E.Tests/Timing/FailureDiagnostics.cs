using EdgeNode.E2E.Tests.Qemu;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests.Timing;

/// <summary>
/// Runs a scenario body; when it fails, writes what a post-mortem needs to the test output (the agent's journal,
/// its unit status and the console tail of every machine still running), then rethrows. Machines disposed by the
/// body (await using) leave their agent journal in agent-journal.txt in their directory (see the failure message).
/// </summary>
public static class FailureDiagnostics
{
    public static async Task RunAsync(ITestOutputHelper output, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception failure)
        {
            foreach (var machine in QemuMachine.Live)
            {
                output.WriteLine($"==== machine {machine.Name} ({machine.Directory}) after: {failure.GetType().Name}: {failure.Message}");
                if (machine.IsRunning)
                {
                    try
                    {
                        var r = await machine.Control.ExecAsync(
                            "systemctl status edgenode-agent --no-pager | head -12; journalctl -b --no-pager -o short-monotonic -u edgenode-agent | tail -60; docker ps -a",
                            TimeSpan.FromSeconds(60));
                        output.WriteLine(r.Output);
                    }
                    catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
                    {
                        output.WriteLine($"(guest control channel unavailable: {e.Message})");
                    }
                }

                output.WriteLine("---- console tail:\n" + machine.ConsoleTail(30));
            }

            output.WriteLine($"machine directories (serial logs, hub log, agent-journal.txt): {string.Join(", ", QemuMachine.Created)}");
            throw;
        }
    }
}
