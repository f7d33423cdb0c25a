using EdgeNode.Hal.Boot;
using EdgeNode.Hal.Storage;
using EdgeNode.Hal.Tests.Support;

namespace EdgeNode.Hal.Tests.Boot;

public sealed class BootReasonDetectorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string _bootId = "boot-a";

    public void Dispose() => _dir.Dispose();

    private BootReasonDetector Detector() => new(DurableStore.Open(_dir.Path, "boot"), () => _bootId, null);

    [Fact]
    public void Detect_NoState_FirstBoot()
    {
        var r = Detector().Detect(watchdogReset: false);
        Assert.Equal(BootReason.FirstBoot, r.Reason);
        Assert.Equal(1UL, r.StartCount);
    }

    [Fact]
    public void Detect_AfterCleanStop_CleanStop_MarkerClearedAtStart()
    {
        var d = Detector();
        d.Detect(false);
        d.MarkCleanStop();
        _bootId = "boot-b";
        Assert.Equal(BootReason.CleanStop, Detector().Detect(false).Reason);
        _bootId = "boot-c";
        // That start cleared the marker: the next start without MarkCleanStop is a power loss.
        var r = Detector().Detect(false);
        Assert.Equal(BootReason.PowerLoss, r.Reason);
        Assert.Equal(3UL, r.StartCount);
    }

    [Fact]
    public void Detect_NoMarker_NewBootId_PowerLoss()
    {
        Detector().Detect(false);
        _bootId = "boot-b";
        Assert.Equal(BootReason.PowerLoss, Detector().Detect(false).Reason);
    }

    [Fact]
    public void Detect_NoMarker_SameBootId_AgentRestart()
    {
        Detector().Detect(false);
        Assert.Equal(BootReason.AgentRestart, Detector().Detect(false).Reason);
    }

    [Fact]
    public void Detect_CardReset_Watchdog_EvenWithMarker()
    {
        var d = Detector();
        d.Detect(false);
        d.MarkCleanStop();
        _bootId = "boot-b";
        Assert.Equal(BootReason.Watchdog, Detector().Detect(watchdogReset: true).Reason);
    }

    [Fact]
    public void Detect_RealKernelBootId_Works()
    {
        var d = new BootReasonDetector(_dir.Path);
        Assert.Equal(BootReason.FirstBoot, d.Detect(false).Reason);
        Assert.Equal(BootReason.AgentRestart, new BootReasonDetector(_dir.Path).Detect(false).Reason);
    }
}
