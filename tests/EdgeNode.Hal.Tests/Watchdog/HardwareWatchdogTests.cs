using EdgeNode.Hal.Boot;
using EdgeNode.Hal.Liveness;
using EdgeNode.Hal.Tests.Support;
using EdgeNode.Hal.Watchdog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Watchdog;

public sealed class HardwareWatchdogTests
{
    private readonly FakeWatchdogKernel _kernel = new();
    private readonly FakeTimeProvider _time = new();

    private HardwareWatchdog Create(WatchdogOptions? options = null, ILogger<HardwareWatchdog>? logger = null) =>
        new(new LinuxWatchdogDevice("/dev/watchdog", _kernel), options ?? new WatchdogOptions { TimeoutSeconds = 60 }, logger);

    [Fact]
    public void Open_ReadsIdentity_SetsTimeout_ReadsBootStatus()
    {
        using var wd = Create();
        wd.Open();
        Assert.Equal("i6300ESB timer", wd.Info!.Identity);
        Assert.True(wd.Info.Options.HasFlag(WatchdogFlags.MagicClose));
        Assert.Equal(TimeSpan.FromSeconds(60), wd.Timeout);
        Assert.Equal(60, _kernel.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(15), wd.KeepaliveInterval);
        Assert.False(wd.LastBootWasWatchdogReset);
        Assert.Equal(["open /dev/watchdog", "WDIOC_GETSUPPORT", "WDIOC_GETBOOTSTATUS", "WDIOC_SETTIMEOUT 60", "WDIOC_GETTIMEOUT", "WDIOC_KEEPALIVE"], _kernel.Calls);
    }

    [Fact]
    public void Open_BootStatusCardReset_ReportsWatchdogReset_AndDetectorSaysWatchdog()
    {
        _kernel.BootStatus = 0x20; // WDIOF_CARDRESET
        using var wd = Create();
        wd.Open();
        Assert.True(wd.LastBootWasWatchdogReset);
        using var dir = new TempDirectory();
        var detector = new BootReasonDetector(dir.Path);
        detector.Detect(false);
        Assert.Equal(BootReason.Watchdog, new BootReasonDetector(dir.Path).Detect(wd.LastBootWasWatchdogReset).Reason);
    }

    [Fact]
    public void Stop_Clean_WritesMagicV_ThenCloses_Disarmed()
    {
        using var wd = Create();
        wd.Open();
        wd.Stop();
        Assert.Equal(["write V", "close"], _kernel.Calls[^2..]);
        Assert.True(_kernel.ClosedDisarmed);
        Assert.False(wd.IsOpen);
    }

    [Fact]
    public void Stop_MagicCloseOff_ClosesWithoutV_StaysArmed()
    {
        using var wd = Create(new WatchdogOptions { MagicCloseOnStop = false });
        wd.Open();
        wd.Stop();
        Assert.DoesNotContain("write V", _kernel.Calls);
        Assert.False(_kernel.ClosedDisarmed);
    }

    [Fact]
    public void Dispose_WithoutStop_NeverDisarms()
    {
        var wd = Create();
        wd.Open();
        wd.Dispose(); // e.g. an exception unwinding: the watchdog must still fire
        Assert.DoesNotContain("write V", _kernel.Calls);
        Assert.False(_kernel.ClosedDisarmed);
    }

    [Fact]
    public void Open_DeviceMissing_ErrorNamesDeviceErrnoAndText()
    {
        _kernel.OpenErrno = 2;
        using var wd = Create();
        var e = Assert.Throws<IOException>(wd.Open);
        Assert.Contains("/dev/watchdog", e.Message);
        Assert.Contains("open", e.Message);
        Assert.Contains("errno 2", e.Message);
        Assert.Contains("No such file or directory", e.Message);
    }

    [Fact]
    public void Open_SetupFailsAfterOpen_DisarmsWithMagicClose_AndReports()
    {
        _kernel.GetSupportErrno = 5; // EIO
        using var wd = Create();
        var e = Assert.Throws<IOException>(wd.Open);
        Assert.Contains("WDIOC_GETSUPPORT", e.Message);
        Assert.Contains("errno 5", e.Message);
        Assert.True(_kernel.ClosedDisarmed); // not left armed with nobody feeding it
        Assert.False(wd.IsOpen);
    }

    [Fact]
    public void Open_SecondOwner_Busy_ErrorSaysSo()
    {
        using var first = Create();
        first.Open();
        using var second = Create();
        var e = Assert.Throws<IOException>(second.Open);
        Assert.Contains("errno 16", e.Message);
        Assert.Contains("busy", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Keepalive_NotOpen_Throws_NamingDevice()
    {
        using var wd = Create();
        var e = Assert.Throws<InvalidOperationException>(wd.Keepalive);
        Assert.Equal("watchdog /dev/watchdog is not open", e.Message);
    }

    [Fact]
    public void Open_TimeoutNotSettable_KeepsDriverTimeout()
    {
        _kernel.SupportsSetTimeout = false;
        using var wd = Create();
        wd.Open();
        Assert.Equal(TimeSpan.FromSeconds(30), wd.Timeout);
        Assert.DoesNotContain(_kernel.Calls, c => c.StartsWith("WDIOC_SETTIMEOUT"));
    }

    [Fact]
    public void Feeder_FeedsWhileHealthy_StopsWhenCheckStarves_ResumesWhenItTicks()
    {
        var logger = new CapturingLogger<LivenessRegistry>();
        var registry = new LivenessRegistry(_time, logger);
        var link = registry.Register("link-loop", TimeSpan.FromSeconds(30));
        var supervisor = registry.Register("supervisor-loop", TimeSpan.FromSeconds(30));
        using var wd = Create(new WatchdogOptions { TimeoutSeconds = 60, KeepaliveInterval = TimeSpan.FromSeconds(10) });
        wd.Open();
        using var feeder = new WatchdogFeeder(registry, wd, null, _time);
        feeder.Start();
        int afterStart = _kernel.Keepalives;

        for (int i = 0; i < 3; i++)
        {
            link.Tick(); supervisor.Tick();
            _time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(afterStart + 3, _kernel.Keepalives);

        // The link loop hangs; the supervisor keeps ticking.
        int beforeHang = _kernel.Keepalives;
        for (int i = 0; i < 10; i++)
        {
            supervisor.Tick();
            _time.Advance(TimeSpan.FromSeconds(10));
        }
        // 30 s of grace (ticks at +10, +20, +30 are fed), then nothing.
        Assert.Equal(beforeHang + 2, _kernel.Keepalives);
        Assert.True(feeder.WithheldFeeds >= 7);
        var starved = logger.Entries.Where(e => e.Id.Id == 100).ToList();
        var single = Assert.Single(starved); // logged once per starvation, not every round
        Assert.Contains("'link-loop'", single.Message);
        Assert.Contains("40.0 s", single.Message);

        link.Tick();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(beforeHang + 3, _kernel.Keepalives);
        Assert.Contains(logger.Entries, e => e.Id.Id == 101 && e.Message.Contains("link-loop"));
    }

    [Fact]
    public void Feeder_KeepaliveFails_LoggedOnce_KeepsTrying()
    {
        var registry = new LivenessRegistry(_time);
        var logger = new CapturingLogger<WatchdogFeeder>();
        using var wd = Create(new WatchdogOptions { KeepaliveInterval = TimeSpan.FromSeconds(1) });
        wd.Open();
        using var feeder = new WatchdogFeeder(registry, wd, null, _time, logger);
        feeder.Start();
        _kernel.KeepaliveErrno = 5;
        _time.Advance(TimeSpan.FromSeconds(3));
        var failure = Assert.Single(logger.Entries, e => e.Id.Id == 131);
        Assert.Contains("WDIOC_KEEPALIVE", failure.Message);
        Assert.Contains("errno 5", failure.Message);
        _kernel.KeepaliveErrno = 0;
        int before = _kernel.Keepalives;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(before + 1, _kernel.Keepalives);
    }
}
