using System.Globalization;

namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>The agent's service as systemd sees it in the guest.</summary>
public static class AgentProbe
{
    /// <summary>Seconds from kernel start to the agent's READY=1 (ActiveEnter) and from its exec to READY, this boot.</summary>
    public static async Task<(double BootToReady, double StartToReady, int Restarts)> ReadyTimesAsync(GuestControl control)
    {
        var values = await control.RunAsync(
            "systemctl show -p ActiveEnterTimestampMonotonic --value edgenode-agent; systemctl show -p ExecMainStartTimestampMonotonic --value edgenode-agent; systemctl show -p NRestarts --value edgenode-agent",
            TimeSpan.FromSeconds(60));
        var v = values.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var active = double.Parse(v[0], CultureInfo.InvariantCulture) / 1e6;
        var start = double.Parse(v[1], CultureInfo.InvariantCulture) / 1e6;
        return (active, active - start, int.Parse(v[2], CultureInfo.InvariantCulture));
    }

    public static async Task<string> StatusTextAsync(GuestControl control) =>
        (await control.RunAsync("systemctl show -p StatusText --value edgenode-agent", TimeSpan.FromSeconds(60))).Trim();

    public static async Task<string> JournalTailAsync(GuestControl control, int lines = 40) =>
        (await control.ExecAsync($"journalctl -u edgenode-agent -b --no-pager -o short-monotonic -n {lines}", TimeSpan.FromSeconds(60))).Output;
}
