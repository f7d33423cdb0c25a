using System.Device.Gpio;
using EdgeNode.Hal.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Gpio;

public sealed class SimulatedGpioDriverTimelineTests
{
    [Fact]
    public void Timeline_KeepsOnlyTheNewestChanges_InOrder()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var driver = new SimulatedGpioDriver(time, lineCount: 2, timelineCapacity: 3);
        using var gpio = new GpioController(driver);
        gpio.OpenPin(0, PinMode.Output);
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            gpio.Write(0, i % 2 == 0 ? PinValue.High : PinValue.Low);
        }
        var kept = driver.Timeline;
        Assert.Equal(3, kept.Count);
        Assert.Equal([8, 9, 10], kept.Select(c => (int)(c.At - DateTimeOffset.UnixEpoch).TotalSeconds));
        Assert.Equal([PinValue.High, PinValue.Low], kept.Skip(1).Select(c => c.Value)); // writes 9 and 10: i = 8 high, i = 9 low
        Assert.Equal(PinValue.Low, gpio.Read(0));
    }
}
