using System.Device.Gpio;
using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Profile;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Leds;

/// <summary>The pattern engine on the simulated driver: exact line timelines, with time from a FakeTimeProvider.</summary>
public sealed class StatusLedsTests : IDisposable
{
    private const int Green = 0, Red = 1, Amber = 2;
    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedGpioDriver _driver;
    private readonly GpioController _gpio;
    private readonly DateTimeOffset _t0;

    public StatusLedsTests()
    {
        _driver = new SimulatedGpioDriver(_time, 8);
        _gpio = GpioAccess.OpenSimulated(_driver);
        _t0 = _time.GetUtcNow();
    }

    public void Dispose() => _gpio.Dispose();

    private static Dictionary<string, GpioLine> TwoLeds(bool redActiveLow = false) => new()
    {
        [HardwareProfile.Green] = new GpioLine { Line = Green },
        [HardwareProfile.Red] = new GpioLine { Line = Red, ActiveLow = redActiveLow },
    };

    private StatusLeds Start(Dictionary<string, GpioLine>? leds = null, StatusSignal signal = StatusSignal.Booting)
    {
        var s = new StatusLeds(_gpio, leds ?? TwoLeds(), _time);
        s.SetSignal(signal);
        return s;
    }

    /// <summary>Timeline of one line after the set-up, as (ms since t0, level) pairs.</summary>
    private List<(double Ms, bool High)> Line(int line, DateTimeOffset? from = null) =>
        _driver.Timeline.Where(c => c.Line == line && c.At >= (from ?? _t0))
            .Select(c => ((c.At - _t0).TotalMilliseconds, c.Value == PinValue.High)).ToList();

    private void Run(TimeSpan total, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < total; t += step) _time.Advance(step);
    }

    [Fact]
    public void Booting_GreenFastBlink_125msPhases_RedStaysDark()
    {
        using var leds = Start();
        Run(TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(5));
        Assert.Equal(
            [(0, false), (0, true), (125, false), (250, true), (375, false), (500, true), (625, false), (750, true), (875, false), (1000, true)],
            Line(Green));
        Assert.Equal([(0, false)], Line(Red)); // requested dark, never changed
    }

    [Fact]
    public void AwaitingEnrollment_GreenSlowBlink_1sPhases()
    {
        using var leds = Start(signal: StatusSignal.AwaitingEnrollment);
        Run(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(50));
        // Requested dark, lit at once (booting's first phase and the slow blink's first phase are both lit).
        Assert.Equal([(0, false), (0, true), (1000, false), (2000, true), (3000, false), (4000, true)], Line(Green));
        Assert.Equal([(0, false)], Line(Red));
    }

    [Fact]
    public void Online_GreenSolid_NoFurtherChanges()
    {
        using var leds = Start(signal: StatusSignal.Online);
        var from = _time.GetUtcNow().AddTicks(1);
        Run(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(_driver.Timeline, c => c.At >= from);
        Assert.Equal(PinValue.High, _driver.GetLevel(Green));
        Assert.Equal(PinValue.Low, _driver.GetLevel(Red));
    }

    [Fact]
    public void HubUnreachable_RedTwoFlashCode_ThenPause_Repeats()
    {
        using var leds = Start(signal: StatusSignal.HubUnreachable);
        Run(TimeSpan.FromMilliseconds(5000), TimeSpan.FromMilliseconds(10));
        // 2 flashes of 250 ms lit / 250 ms dark, the last gap stretched by the 1.5 s pause: period 2.5 s.
        Assert.Equal(
            [(0, false), (0, true), (250, false), (500, true), (750, false), (2500, true), (2750, false), (3000, true), (3250, false), (5000, true)],
            Line(Red));
        Assert.Equal(PinValue.High, _driver.GetLevel(Green)); // apps still run: green solid
    }

    [Fact]
    public void Degraded_RedSlowBlink_ActiveLowLineIsInverted()
    {
        using var leds = Start(TwoLeds(redActiveLow: true), StatusSignal.Degraded);
        Run(TimeSpan.FromMilliseconds(2000), TimeSpan.FromMilliseconds(50));
        // Active-low: requested at High (dark), lit = Low.
        Assert.Equal([(0, true), (0, false), (1000, true), (2000, false)], Line(Red));
    }

    [Fact]
    public void PowerFail_FromOnline_GreenOff_RedFastBlink()
    {
        using var leds = Start(signal: StatusSignal.Online);
        _time.Advance(TimeSpan.FromSeconds(1));
        leds.SetSignal(StatusSignal.PowerFail);
        Run(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(5));
        Assert.Equal([(0, false), (0, true), (1000, false)], Line(Green));
        Assert.Equal([(0, false), (1000, true), (1125, false), (1250, true), (1375, false), (1500, true)], Line(Red));
    }

    [Fact]
    public void Fault_RedSolid_GreenOff()
    {
        using var leds = Start(signal: StatusSignal.Fault);
        Assert.Equal(PinValue.High, _driver.GetLevel(Red));
        Assert.Equal(PinValue.Low, _driver.GetLevel(Green));
        Assert.Equal("status-green=off(dark) status-red=solid(lit)", leds.Describe());
    }

    [Fact]
    public void Amber_WhenPresent_SolidOnDegraded()
    {
        var three = TwoLeds();
        three[HardwareProfile.Amber] = new GpioLine { Line = Amber };
        using var leds = Start(three, StatusSignal.Degraded);
        Assert.Equal(PinValue.High, _driver.GetLevel(Amber));
        leds.SetSignal(StatusSignal.Online);
        Assert.Equal(PinValue.Low, _driver.GetLevel(Amber));
    }

    [Fact]
    public void Identify_OverridesSignal_ThenExpires_BackToSignal()
    {
        using var leds = Start(signal: StatusSignal.Online);
        _time.Advance(TimeSpan.FromSeconds(3));
        var from = _time.GetUtcNow();
        leds.Identify(TimeSpan.FromSeconds(1));
        Assert.True(leds.IsIdentifying);
        Run(TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(5));
        Assert.False(leds.IsIdentifying);
        double s = 3000;
        // Green fast blink starting lit (it was already lit: first change is at +125), red in opposite phase.
        Assert.Equal(
            [(s + 125, false), (s + 250, true), (s + 375, false), (s + 500, true), (s + 625, false), (s + 750, true), (s + 875, false), (s + 1000, true)],
            Line(Green, from));
        Assert.Equal(
            [(s + 125, true), (s + 250, false), (s + 375, true), (s + 500, false), (s + 625, true), (s + 750, false), (s + 875, true), (s + 1000, false)],
            Line(Red, from));
        // After expiry: Online again, nothing changes any more.
        Assert.Equal(PinValue.High, _driver.GetLevel(Green));
        Assert.Equal(PinValue.Low, _driver.GetLevel(Red));
    }

    [Fact]
    public void Identify_SignalChangesWhileIdentifying_ShownAfterExpiry()
    {
        using var leds = Start(signal: StatusSignal.Online);
        leds.Identify(TimeSpan.FromSeconds(2));
        leds.SetSignal(StatusSignal.Fault);
        Assert.True(leds.IsIdentifying);
        Run(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(25));
        Assert.False(leds.IsIdentifying);
        Assert.Equal(StatusSignal.Fault, leds.Signal);
        Assert.Equal(PinValue.High, _driver.GetLevel(Red));
        Assert.Equal(PinValue.Low, _driver.GetLevel(Green));
    }

    [Fact]
    public void Identify_Cancel_ReturnsAtOnce()
    {
        using var leds = Start(signal: StatusSignal.Fault);
        leds.Identify(TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMilliseconds(130));
        leds.CancelIdentify();
        Assert.False(leds.IsIdentifying);
        Assert.Equal(PinValue.High, _driver.GetLevel(Red));
        Assert.Equal(PinValue.Low, _driver.GetLevel(Green));
    }

    [Fact]
    public void Lines_StayRequested_WhileRunning_ReleasedOnDispose()
    {
        var leds = Start(signal: StatusSignal.Online);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(_driver.IsOpen(Green));
        Assert.True(_driver.IsOpen(Red));
        leds.Dispose();
        Assert.False(_driver.IsOpen(Green));
    }

    [Fact]
    public void NoGpio_TracksStateWithoutWriting()
    {
        using var leds = new StatusLeds(null, TwoLeds(), _time);
        leds.SetSignal(StatusSignal.Fault);
        Assert.False(leds.HasHardware);
        Assert.True(leds.IsLit(HardwareProfile.Red));
        Assert.Empty(_driver.Timeline);
    }

    [Fact]
    public void LineAlreadyTaken_ErrorNamesLedAndLine()
    {
        _driver.SetBusy(Red);
        var e = Assert.Throws<IOException>(() => new StatusLeds(_gpio, TwoLeds(), _time));
        Assert.Contains("LED 'status-red' (line 1)", e.Message);
        Assert.Contains("busy", e.Message);
        Assert.False(_driver.IsOpen(Green)); // the lines requested before the failure are released again
    }

    [Fact]
    public void SetSignal_Same_KeepsPhase()
    {
        using var leds = Start(signal: StatusSignal.Booting);
        _time.Advance(TimeSpan.FromMilliseconds(60));
        int before = _driver.Timeline.Count;
        leds.SetSignal(StatusSignal.Booting);
        _time.Advance(TimeSpan.FromMilliseconds(64)); // 124 ms since start: still in the first lit phase
        Assert.Equal(before, _driver.Timeline.Count);
    }
}
