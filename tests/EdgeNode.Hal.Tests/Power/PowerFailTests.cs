using System.Device.Gpio;
using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Power;
using EdgeNode.Hal.Profile;
using EdgeNode.Hal.Storage;
using EdgeNode.Hal.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Power;

public sealed class PowerFailTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedGpioDriver _driver;
    private readonly GpioController _gpio;

    public PowerFailTests()
    {
        _driver = new SimulatedGpioDriver(_time, 8);
        _gpio = new GpioController(_driver);
    }

    public void Dispose()
    {
        _gpio.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void PowerGoodFalls_FlushesJournal_WritesState_ShowsPattern_StopsWrites()
    {
        _driver.SetInput(4, PinValue.High); // power good
        var guard = new PowerFailGuard(_time);
        using var journal = Journal.Open(_dir.Sub("journal"), new JournalOptions { CommitInterval = TimeSpan.FromSeconds(5) }, _time, guard);
        var state = DurableStore.Open(_dir.Path, "counters", guard);
        using var leds = new StatusLeds(_gpio, new Dictionary<string, GpioLine>
        {
            [HardwareProfile.Green] = new() { Line = 0 },
            [HardwareProfile.Red] = new() { Line = 1 },
        }, _time);
        leds.SetSignal(StatusSignal.Online);
        var order = new List<string>();
        guard.OnPowerFail("journal", () => { journal.Flush(); order.Add("journal"); });
        guard.OnPowerFail("state", () => { state.Save("restarts=3"u8); order.Add("state"); });
        guard.OnPowerFail("leds", () => { leds.SetSignal(StatusSignal.PowerFail); order.Add("leds"); });
        using var monitor = new PowerFailMonitor(_gpio, new GpioLine { Line = 4, ActiveLow = true }, guard);

        var pending = journal.Append("app db restarted"u8);
        Assert.False(pending.IsDurable);
        Assert.False(guard.IsTripped);

        _driver.SetInput(4, PinValue.Low); // the PSU drops power-good

        Assert.True(guard.WritesStopped);
        Assert.Equal(["journal", "state", "leds"], order);
        Assert.Equal(pending.Sequence, journal.DurableSequence);
        Assert.True(state.TryLoad(out var v, out _));
        Assert.Equal("restarts=3", System.Text.Encoding.UTF8.GetString(v.Span));
        Assert.True(leds.IsLit(HardwareProfile.Red));
        Assert.False(leds.IsLit(HardwareProfile.Green));
        Assert.Throws<WritesSuspendedException>(() => journal.Append("late"u8));
        var e = Assert.Throws<WritesSuspendedException>(() => state.Save("late"u8));
        Assert.Contains("counters", e.Resource);
        Assert.All(guard.LastReport!.Steps, s => Assert.Null(s.Error));
    }

    [Fact]
    public void Trip_FailingAction_OthersStillRun_ReportedOnce()
    {
        var guard = new PowerFailGuard(_time);
        var ran = new List<string>();
        guard.OnPowerFail("broken", () => throw new IOException("disk gone"));
        guard.OnPowerFail("after", () => ran.Add("after"));
        var report = guard.Trip("test");
        Assert.Equal(["after"], ran);
        Assert.Equal("disk gone", report.Steps[0].Error);
        Assert.Same(report, guard.Trip("again"));
        Assert.Equal(["after"], ran);
    }

    [Fact]
    public void Monitor_PowerGoodReturns_Rearms_WritesResume_RestoreActionsRun()
    {
        _driver.SetInput(4, PinValue.High);
        var guard = new PowerFailGuard(_time);
        using var journal = Journal.Open(_dir.Sub("j"), new JournalOptions(), _time, guard);
        var restored = new List<string>();
        guard.OnPowerRestored("leds", () => restored.Add("leds"));
        using var monitor = new PowerFailMonitor(_gpio, new GpioLine { Line = 4, ActiveLow = true }, guard);
        _driver.SetInput(4, PinValue.Low);
        Assert.Throws<WritesSuspendedException>(() => journal.Append("x"u8));
        Assert.Empty(restored);
        _driver.SetInput(4, PinValue.High);
        Assert.False(guard.IsTripped);
        Assert.Equal(["leds"], restored);
        Assert.True(journal.Append("y"u8, critical: true).IsDurable);
        // A second failure trips again.
        _driver.SetInput(4, PinValue.Low);
        Assert.True(guard.WritesStopped);
    }

    [Fact]
    public void Monitor_LineAlreadyActiveAtStart_TripsAtOnce()
    {
        var guard = new PowerFailGuard(_time);
        _driver.SetInput(4, PinValue.Low);
        using var monitor = new PowerFailMonitor(_gpio, new GpioLine { Line = 4, ActiveLow = true }, guard);
        Assert.True(guard.WritesStopped);
    }

    [Fact]
    public void Monitor_ActiveHigh_RisingEdgeTrips_FallingDoesNot()
    {
        var guard = new PowerFailGuard(_time);
        using var monitor = new PowerFailMonitor(_gpio, new GpioLine { Line = 5, ActiveLow = false }, guard);
        Assert.False(guard.IsTripped);
        _driver.SetInput(5, PinValue.High);
        Assert.True(guard.IsTripped);
    }
}
