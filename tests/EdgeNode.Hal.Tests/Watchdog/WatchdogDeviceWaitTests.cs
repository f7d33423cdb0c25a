using EdgeNode.Hal.Tests.Support;
using EdgeNode.Hal.Watchdog;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Watchdog;

/// <summary>The agent waits for a watchdog node that a driver module creates late in boot (issue 6: a hardware reset
/// was reported as a power loss when the agent started before the i6300esb driver had probed).</summary>
public sealed class WatchdogDeviceWaitTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30); // only bounds a broken test; never reached when it passes
    private readonly FakeTimeProvider _time = new();
    private readonly SemaphoreSlim _checked = new(0);
    private int _checks;

    /// <summary>A device that appears at check number <paramref name="appearsAt"/> (never when 0); each check signals.</summary>
    private Func<string, bool> Device(int appearsAt) => _ =>
    {
        var n = Interlocked.Increment(ref _checks);
        _checked.Release();
        return appearsAt > 0 && n >= appearsAt;
    };

    /// <summary>One poll period on the fake clock, then the check it causes.</summary>
    private async Task TickAsync()
    {
        _time.Advance(WatchdogDeviceWait.PollInterval);
        Assert.True(await _checked.WaitAsync(Safety), "the poll did not check the device after a period");
    }

    [Fact]
    public async Task DevicePresent_ReturnsAtOnce()
    {
        var wait = WatchdogDeviceWait.WaitAsync("/dev/watchdog", TimeSpan.FromSeconds(30), _time, Device(1));
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
        Assert.Equal(1, _checks);
    }

    [Fact]
    public async Task DeviceAppearsLate_ReturnsTrueAtTheFirstCheckThatSeesIt()
    {
        var wait = WatchdogDeviceWait.WaitAsync("/dev/watchdog", TimeSpan.FromSeconds(30), _time, Device(4));
        Assert.True(await _checked.WaitAsync(Safety));
        for (var i = 0; i < 2; i++)
        {
            await TickAsync();
            Assert.False(wait.IsCompleted);
        }
        await TickAsync();
        Assert.True(await wait.WaitAsync(Safety));
        Assert.Equal(4, _checks);
        Assert.Equal(TimeSpan.FromMilliseconds(300), _time.GetUtcNow() - _time.Start);
    }

    [Fact]
    public async Task DeviceNeverAppears_ReturnsFalseAfterTheTimeoutNotBefore()
    {
        var wait = WatchdogDeviceWait.WaitAsync("/dev/watchdog", TimeSpan.FromSeconds(2), _time, Device(0));
        Assert.True(await _checked.WaitAsync(Safety));
        for (var i = 0; i < 19; i++)
            await TickAsync();
        Assert.False(wait.IsCompleted); // 1.9 s of 2 s
        await TickAsync();
        Assert.False(await wait.WaitAsync(Safety));
        Assert.Equal(21, _checks);
    }

    [Fact]
    public async Task RealFile_CreatedWhileWaiting_IsSeen()
    {
        using var dir = new TempDirectory();
        var node = Path.Combine(dir.Path, "watchdog0");
        var wait = WatchdogDeviceWait.WaitAsync(node, TimeSpan.FromSeconds(30), _time);
        Assert.False(wait.IsCompleted);
        await File.WriteAllTextAsync(node, "");
        _time.Advance(WatchdogDeviceWait.PollInterval);
        Assert.True(await wait.WaitAsync(Safety));
    }
}
