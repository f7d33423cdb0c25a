using EdgeNode.Hal.Gpio;

namespace EdgeNode.Hal.Tests.Gpio;

public sealed class GpioChipResolverTests
{
    private static readonly GpioChipResolver.ChipInfo[] Chips =
    [
        new(0, "gpiochip0", "INT34C5:00", 360),
        new(1, "gpiochip1", "gpio-sim.0-node0", 4),
        new(2, "gpiochip2", "edgenode-ipc", 8),
    ];

    [Theory]
    [InlineData("gpiochip1", 1)]      // by device name
    [InlineData("2", 2)]              // by number
    [InlineData("edgenode-ipc", 2)]   // by label (the gpio-sim bank label set by the image)
    [InlineData("gpio-sim.0-node0", 1)]
    public void TryResolve_NameNumberOrLabel_FindsChip(string spec, int expected)
    {
        Assert.True(GpioChipResolver.TryResolve(spec, Chips, out var info, out _));
        Assert.Equal(expected, info.Number);
    }

    [Fact]
    public void TryResolve_Unknown_ReasonListsPresentChips()
    {
        Assert.False(GpioChipResolver.TryResolve("gpiochip7", Chips, out _, out string reason));
        Assert.Contains("'gpiochip7' not found", reason);
        Assert.Contains("gpiochip2 ('edgenode-ipc', 8 lines)", reason);
    }

    [Fact]
    public void TryResolve_NoChips_SaysSo()
    {
        Assert.False(GpioChipResolver.TryResolve("gpiochip0", [], out _, out string reason));
        Assert.Contains("no GPIO chip", reason);
    }

    [Fact]
    public void OpenHardware_NoChipOnThisMachine_NullAndOneWarning()
    {
        var profile = EdgeNode.Hal.Profile.HardwareProfile.Parse("""
            { "model": "m", "gpioChip": "no-such-chip-label", "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 } } }
            """u8, "m.json");
        var logger = new Support.CapturingLogger<GpioChipResolverTests>();
        Assert.Null(GpioAccess.OpenHardware(profile, logger));
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("No GPIO for hardware model 'm'", warning.Message);
    }
}
