using System.Globalization;

namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>
/// The qemu-ipc machine's simulated GPIO chip (images/machines/qemu-ipc: configfs "edgenode-ipc", label
/// gpio-sim.0-node0, lines 0 status-green, 1 status-red, 2 status-amber, 3 spare, 4 power-good), read and driven from the host through the
/// control channel and the gpio-sim sysfs attributes: an output's level is sim_gpioN/value, an input is
/// driven by writing pull-up/pull-down to sim_gpioN/pull.
/// </summary>
public sealed class GpioSim(GuestControl control)
{
    public const int Green = 0;
    public const int Red = 1;
    public const int Amber = 2;
    public const int PowerGood = 4;
    public static readonly string[] LedNames = ["green", "red", "amber"];

    private const string SysfsDir =
        "S=/sys/devices/platform/$(cat /sys/kernel/config/gpio-sim/edgenode-ipc/dev_name)/$(cat /sys/kernel/config/gpio-sim/edgenode-ipc/bank0/chip_name)";

    /// <summary>
    /// Samples the three LED lines every <paramref name="interval"/> for <paramref name="duration"/> inside the
    /// guest (one round trip) and summarizes each LED as on, off or blinking.
    /// </summary>
    public async Task<LedSnapshot> SampleLedsAsync(TimeSpan duration, TimeSpan interval)
    {
        var count = Math.Max(1, (int)(duration / interval));
        var script = $"{SysfsDir}\nfor i in $(seq {count}); do echo $(cat $S/sim_gpio0/value $S/sim_gpio1/value $S/sim_gpio2/value); " +
                     $"sleep {interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}; done";
        var output = await control.RunAsync(script, duration + TimeSpan.FromSeconds(60));
        var samples = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ').Select(v => v == "1").ToArray())
            .Where(v => v.Length == 3)
            .ToList();
        return new LedSnapshot(samples);
    }

    /// <summary>
    /// Samples the LEDs (4 s windows) until green/red/amber show the expected states ("on", "off", "blinking"),
    /// polling until the deadline; returns the matching snapshot.
    /// </summary>
    public async Task<LedSnapshot> WaitForLedsAsync(string green, string red, string amber, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        LedSnapshot last;
        do
        {
            last = await SampleLedsAsync(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(50));
            if (last.State(Green) == green && last.State(Red) == red && last.State(Amber) == amber)
            {
                return last;
            }
        }
        while (sw.Elapsed < timeout);
        throw new TimeoutException($"LEDs did not show green={green} red={red} amber={amber} within {timeout.TotalSeconds:0} s; last: {last}");
    }

    /// <summary>Drives the power-good input: true = pulled up (power good), false = pulled down (power failing).</summary>
    public Task SetPowerGoodAsync(bool good) =>
        control.RunAsync($"{SysfsDir}\necho {(good ? "pull-up" : "pull-down")} > $S/sim_gpio{PowerGood}/pull", TimeSpan.FromSeconds(30));

    public async Task<bool> ReadLineAsync(int line) =>
        (await control.RunAsync($"{SysfsDir}\ncat $S/sim_gpio{line}/value", TimeSpan.FromSeconds(30))).Trim() == "1";
}
