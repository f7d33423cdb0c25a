using EdgeNode.Agent.Platform.Hal;
using EdgeNode.Agent.Tests.Fakes;
using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Profile;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Agent.Tests.Lifecycle;

/// <summary>The identify command from a heartbeat ack drives the HAL LED engine on the simulated GPIO driver.</summary>
public sealed class IdentifyLedTests
{
    [Fact]
    public async Task IdentifyCommand_BlinksBothLedsForItsDuration_ThenBackToOnline()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var driver = new SimulatedGpioDriver(time);
        var profile = HardwareProfile.Parse("""
            { "model": "t", "gpioChip": "gpiochip0", "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 } } }
            """u8, "test-profile");
        using var leds = StatusLeds.FromProfile(profile, GpioAccess.OpenSimulated(driver), time);
        var hub = new ScriptedHub();
        hub.Approve("dev-led", "device-psk-0123456789"u8.ToArray());
        await using var rig = new AgentRig(hub, time: time, lights: new HalStatusLights(leds));
        rig.Repository.SaveIdentity(new("dev-led", "device-psk-0123456789"u8.ToArray(), "s"));
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => leds.Signal == StatusSignal.Online, "LEDs online", step: TimeSpan.FromMilliseconds(100));
        Assert.Equal(PinValueOf(true), driver.GetLevel(0));  // green solid
        Assert.Equal(PinValueOf(false), driver.GetLevel(1)); // red dark

        hub.Enqueue(new Command { Id = 9, Kind = CommandKind.Identify, DurationSeconds = 5 });
        await rig.AdvanceUntilAsync(() => leds.IsIdentifying, "identify on", step: TimeSpan.FromMilliseconds(100));
        var start = time.GetUtcNow();
        driver.ClearTimeline();
        await rig.AdvanceUntilAsync(() => !leds.IsIdentifying, "identify over", step: TimeSpan.FromMilliseconds(50), maxSteps: 400);
        var took = time.GetUtcNow() - start;
        Assert.InRange(took.TotalSeconds, 4.0, 5.5);

        var changes = driver.Timeline.Where(c => c.At < start + TimeSpan.FromSeconds(4)).ToArray();
        var red = changes.Where(c => c.Line == 1).ToArray();
        var green = changes.Where(c => c.Line == 0).ToArray();
        Assert.True(red.Length >= 8, $"red toggled {red.Length} times in 4 s of identify");
        Assert.True(green.Length >= 8, $"green toggled {green.Length} times in 4 s of identify");
        // Opposite phase: at every red change, green has the other level.
        foreach (var r in red)
        {
            var greenLevel = green.LastOrDefault(g => g.At <= r.At);
            if (greenLevel != default)
            {
                Assert.NotEqual(r.Value, greenLevel.Value);
            }
        }

        Assert.True(hub.Snapshot(hub.CommandResults).Single(r => r.Id == 9).Ok);
        await rig.AdvanceUntilAsync(() => driver.GetLevel(0) == PinValueOf(true) && driver.GetLevel(1) == PinValueOf(false), "back to online pattern", step: TimeSpan.FromMilliseconds(100));
    }

    private static System.Device.Gpio.PinValue PinValueOf(bool high) => high ? System.Device.Gpio.PinValue.High : System.Device.Gpio.PinValue.Low;
}
