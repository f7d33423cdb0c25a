using System.Text.RegularExpressions;
using EdgeNode.E2E.Tests.Qemu;
using EdgeNode.E2E.Tests.Timing;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests;

/// <summary>
/// The factory image as a platform, booted under qemu: the hardware the agent relies on (i6300esb watchdog,
/// gpio-sim LED/power-good chip), the container engine, the pre-populated image cache, the agent package
/// and its unit, and the hardware watchdog's reset path with the boot status the agent reads.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class FactoryImageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8); // generous: TCG on a shared, loaded host boots in 40 s .. 5 min
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FactoryImage_FirstBoot_ProvidesWatchdogGpioEngineCacheAndAgentUnit()
    {
        var image = FactoryImage.Locate();
        var timings = new ScenarioTimings("factory-image boot", output, image.ArtifactsDirectory);
        await using var unit = await QemuMachine.CreateAsync(image, "boot");
        unit.PowerOn();
        var boot = await unit.WaitForBootAsync(BootTimeout);
        timings.Record("power-on -> control channel", boot.SincePowerOn);
        var (multiUser, atMultiUser) = await unit.WaitForConsoleAsync(MultiUserRegex(), null, BootTimeout, "multi-user marker");
        timings.Record("power-on -> multi-user.target", atMultiUser);
        timings.Record("guest uptime at multi-user.target", multiUser.Groups[1].Value + " s");
        var ctl = unit.Control;

        // hardware watchdog: the emulated i6300esb, owned by nobody but the agent (systemd's runtime watchdog is off)
        Assert.Equal("i6300ESB timer", (await ctl.RunAsync("cat /sys/class/watchdog/watchdog0/identity", Short)).Trim());
        Assert.Contains("crw", await ctl.RunAsync("ls -l /dev/watchdog", Short));
        Assert.Equal("0", (await ctl.RunAsync("systemctl show -p RuntimeWatchdogUSec --value", Short)).Trim());
        Assert.Equal("0", (await ctl.RunAsync("cat /sys/class/watchdog/watchdog0/bootstatus", Short)).Trim());

        // gpio-sim chip with the qemu-ipc profile's named lines; power-good pulled up (power is good)
        var gpioinfo = await ctl.RunAsync("gpioinfo gpio-sim.0-node0", Short);
        foreach (var (line, name) in new[] { (0, "status-green"), (1, "status-red"), (2, "status-amber"), (4, "power-good") })
        {
            Assert.Matches($@"line\s+{line}:\s+""{name}""", gpioinfo);
        }

        Assert.True(await new GpioSim(ctl).ReadLineAsync(GpioSim.PowerGood), "power-good input should read 1 (pulled up) at boot");

        // the container engine answers (poll: dockerd starts late under TCG) and can load the cached app image
        var engine = await PollAsync(ctl, "docker info --format '{{.ServerVersion}} {{.Driver}}'", TimeSpan.FromMinutes(3));
        output.WriteLine($"docker: {engine}");
        var index = await ctl.RunAsync("cat /var/lib/edgenode/image-cache/index.json", Short);
        Assert.Contains("edgenode/e2e-app:1", index);
        Assert.Contains("manifest.json", await ctl.RunAsync("tar -tf /var/lib/edgenode/image-cache/edgenode_e2e-app_1.tar", Short));

        // the agent as a Debian package, enabled, with the unit's watchdog/restart/hardening settings
        Assert.Contains("install ok installed", await ctl.RunAsync("dpkg-query -W -f='${Status} ${Version}' edgenode-agent", Short));
        Assert.Equal("enabled", (await ctl.ExecAsync("systemctl is-enabled edgenode-agent", Short)).Output.Trim());
        var props = await ctl.RunAsync(
            "systemctl show -p Type -p NotifyAccess -p WatchdogUSec -p Restart -p RestartUSec -p StartLimitBurst -p StartLimitIntervalUSec " +
            "-p ProtectSystem -p NoNewPrivileges -p StateDirectory -p RuntimeDirectoryPreserve edgenode-agent", Short);
        output.WriteLine(props);
        foreach (var expected in new[]
                 {
                     "Type=notify", "NotifyAccess=main", "WatchdogUSec=10s", "Restart=always", "RestartUSec=2s", "StartLimitBurst=3",
                     "StartLimitIntervalUSec=10min", "ProtectSystem=strict", "NoNewPrivileges=yes", "StateDirectory=edgenode",
                     "RuntimeDirectoryPreserve=yes",
                 })
        {
            Assert.Contains(expected, props);
        }

        var config = await ctl.RunAsync("cat /etc/edgenode/agent.json", Short);
        Assert.Equal(File.ReadAllText(image.FactoryConfigPath).Trim(), config.Trim());
    }

    [Fact]
    public async Task HardwareWatchdog_AbandonedWithoutMagicClose_ResetsGuestAndNextBootReportsCardReset()
    {
        var image = FactoryImage.Locate();
        var timings = new ScenarioTimings("hardware watchdog", output, image.ArtifactsDirectory);
        await using var unit = await QemuMachine.CreateAsync(image, "hwwdt");
        unit.PowerOn();
        var first = await unit.WaitForBootAsync(BootTimeout);
        var ctl = unit.Control;

        // The agent owns the device; a clean stop magic-closes it. Then this test is the (only) owner:
        // 10 s timeout, one kick, close without 'V' = what a killed agent leaves behind.
        await PollAsync(ctl, "systemctl is-active edgenode-agent", TimeSpan.FromMinutes(5)); // its start job is done
        await ctl.RunAsync("systemctl stop edgenode-agent", TimeSpan.FromMinutes(3));
        await ctl.RunAsync("wdctl -s 10 /dev/watchdog >/dev/null", Short);
        await ctl.RunAsync("exec 3>/dev/watchdog; echo k >&3; exec 3>&-; echo abandoned", Short);
        var abandonedAt = unit.SincePowerOn;
        var second = await unit.WaitForBootAsync(TimeSpan.FromSeconds(60) + BootTimeout);
        Assert.NotEqual(first.BootId, second.BootId);
        timings.Record("watchdog abandoned -> next boot's control channel", second.SincePowerOn - abandonedAt);
        // the kernel's watchdog core noticed the close without 'V' and left the timer running
        Assert.Contains("watchdog did not stop!", unit.ReadConsole() + await ctl.RunAsync("journalctl -k -b -1 --no-pager | grep -i watchdog || true", Short));

        // WDIOF_CARDRESET (0x20) in the boot status: how the agent tells a watchdog reset from a power loss
        Assert.Equal("32", (await ctl.RunAsync("cat /sys/class/watchdog/watchdog0/bootstatus", Short)).Trim());
    }

    private static async Task<string> PollAsync(GuestControl ctl, string script, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        GuestResult last;
        do
        {
            last = await ctl.ExecAsync(script, Short);
            if (last.Succeeded)
            {
                return last.Output.Trim();
            }

            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"guest: '{script}' did not succeed within {timeout.TotalSeconds:0} s: {last}");
    }

    [GeneratedRegex(@"EDGENODE-E2E multi-user uptime=([0-9.]+)")]
    private static partial Regex MultiUserRegex();
}
