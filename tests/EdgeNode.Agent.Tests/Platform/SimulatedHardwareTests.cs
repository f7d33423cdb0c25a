using System.Device.Gpio;
using EdgeNode.Agent.Configuration;
using EdgeNode.Agent.Platform.Hal;
using EdgeNode.Agent.Tests.Configuration;
using EdgeNode.Hal.Profile;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Agent.Tests.Platform;

/// <summary><c>--simulate-hardware</c> with a profile that has a power-fail input (the qemu IPC's, active low).</summary>
public sealed class SimulatedHardwareTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    private HalPlatform Start(bool activeLow)
    {
        var profilePath = _fixture.Write($$"""
            {
              "model": "test-ipc",
              "gpioChip": "gpiochip0",
              "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 }, "status-amber": { "line": 2 } },
              "powerFail": { "line": 4, "activeLow": {{(activeLow ? "true" : "false")}} },
              "watchdog": { "device": "/dev/watchdog", "timeoutSeconds": 60 }
            }
            """, "power-profile.json");
        var config = AgentConfigLoader.Load(_fixture.Write(ConfigFixture.ValidJson(profilePath, stateDirectory: _fixture.StateDirectory)));
        return new HalPlatform(config, HardwareProfile.Load(profilePath), simulate: true, new FakeTimeProvider(DateTimeOffset.UnixEpoch),
            NullLoggerFactory.Instance, TextWriter.Null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Start_SimulatedPsuHasPower_WritesAllowed(bool activeLow)
    {
        using var hal = Start(activeLow);
        Assert.False(hal.Guard.IsTripped);
        Assert.Equal(activeLow ? PinValue.High : PinValue.Low, hal.SimulatedGpio!.GetLevel(4));
    }

    [Fact]
    public void PowerGoodFalls_TripsTheGuard_AndRisingAgainRearmsIt()
    {
        using var hal = Start(activeLow: true);
        hal.SimulatedGpio!.SetInput(4, PinValue.Low);
        Assert.True(hal.Guard.IsTripped);
        hal.SimulatedGpio.SetInput(4, PinValue.High);
        Assert.False(hal.Guard.IsTripped);
    }

    public void Dispose() => _fixture.Dispose();
}
