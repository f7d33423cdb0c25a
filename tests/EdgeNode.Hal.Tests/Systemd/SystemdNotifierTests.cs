using System.Net.Sockets;
using System.Text;
using EdgeNode.Hal.Liveness;
using EdgeNode.Hal.Systemd;
using EdgeNode.Hal.Watchdog;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Systemd;

/// <summary>The notifier against a real unix datagram socket standing in for systemd's $NOTIFY_SOCKET.</summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"edgenode-notify-{Guid.NewGuid():N}.sock");
    private readonly Socket _listener;
    private readonly FakeTimeProvider _time = new();

    public SystemdNotifierTests()
    {
        _listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_path);
    }

    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        return k => d.TryGetValue(k, out var v) ? v : null;
    }

    /// <summary>Everything received so far (non-blocking; sends on a unix datagram socket are synchronous).</summary>
    private List<string> Received()
    {
        var list = new List<string>();
        var buf = new byte[4096];
        while (_listener.Available > 0)
        {
            int n = _listener.Receive(buf);
            list.Add(Encoding.UTF8.GetString(buf, 0, n));
        }
        return list;
    }

    [Fact]
    public void Notifier_ReadyStatusWatchdogStopping_ArriveOnSocket()
    {
        using var n = SystemdNotifier.Create(Env(("NOTIFY_SOCKET", _path)), 1234);
        Assert.True(n.IsEnabled);
        Assert.Null(n.WatchdogInterval);
        Assert.True(n.Ready("enrolled, 3 apps"));
        Assert.True(n.Status("degraded:\ncapacity-short:db"));
        Assert.True(n.Stopping());
        Assert.Equal(["READY=1\nSTATUS=enrolled, 3 apps", "STATUS=degraded: capacity-short:db", "STOPPING=1"], Received());
    }

    [Fact]
    public void Notifier_AbstractSocketName_Works()
    {
        string name = "edgenode-test-" + Guid.NewGuid().ToString("N");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var n = SystemdNotifier.Create(Env(("NOTIFY_SOCKET", "@" + name)), 1);
        Assert.True(n.Ready());
        var buf = new byte[64];
        Assert.True(listener.Available > 0);
        Assert.Equal("READY=1", Encoding.UTF8.GetString(buf, 0, listener.Receive(buf)));
    }

    // Rows: environment → expected watchdog interval (null = no systemd watchdog for us).
    public static TheoryData<string?, string?, string?, double?> WatchdogEnv => new()
    {
        { "5000000", null, "1234", 5.0 },         // WATCHDOG_USEC alone: ours
        { "5000000", "1234", "1234", 5.0 },       // WATCHDOG_PID matches our pid
        { "5000000", "999", "1234", null },       // meant for another process (e.g. a parent shell)
        { "abc", null, "1234", null },            // not a number
        { "0", null, "1234", null },              // zero is "off"
        { null, null, "1234", null },             // no WatchdogSec
    };

    [Theory]
    [MemberData(nameof(WatchdogEnv))]
    public void Create_WatchdogEnvironment_Interval(string? usec, string? pid, string? ourPid, double? seconds)
    {
        var vars = new List<(string, string)> { ("NOTIFY_SOCKET", _path) };
        if (usec is not null) vars.Add(("WATCHDOG_USEC", usec));
        if (pid is not null) vars.Add(("WATCHDOG_PID", pid));
        using var n = SystemdNotifier.Create(Env([.. vars]), int.Parse(ourPid!));
        Assert.Equal(seconds, n.WatchdogInterval?.TotalSeconds);
    }

    [Fact]
    public void Create_NoNotifySocket_EverythingIsANoOp()
    {
        using var n = SystemdNotifier.Create(Env(("WATCHDOG_USEC", "1000000")), 1);
        Assert.False(n.IsEnabled);
        Assert.Null(n.WatchdogInterval);
        Assert.False(n.Ready());
        Assert.False(n.Watchdog());
    }

    [Fact]
    public void Create_SocketPathTooLong_DisabledNotThrown()
    {
        using var n = SystemdNotifier.Create(Env(("NOTIFY_SOCKET", "/" + new string('x', 300)), ("WATCHDOG_USEC", "1000000")), 1);
        Assert.False(n.IsEnabled);
        Assert.Null(n.WatchdogInterval);
        Assert.False(n.Ready());
    }

    [Fact]
    public void Notify_SocketGone_ReturnsFalse_DoesNotThrow()
    {
        using var n = SystemdNotifier.Create(Env(("NOTIFY_SOCKET", _path + ".missing")), 1);
        Assert.False(n.Ready());
    }

    [Fact]
    public void Feeder_SendsWatchdogAtHalfInterval_WhileHealthy_NotOnceACheckStarves()
    {
        using var n = SystemdNotifier.Create(Env(("NOTIFY_SOCKET", _path), ("WATCHDOG_USEC", "10000000"), ("WATCHDOG_PID", "42")), 42);
        var registry = new LivenessRegistry(_time);
        var loop = registry.Register("supervisor-loop", TimeSpan.FromSeconds(12));
        using var feeder = new WatchdogFeeder(registry, null, n, _time);
        n.Ready();
        feeder.Start();
        Assert.Equal(["READY=1", "WATCHDOG=1"], Received()); // fed once at start

        loop.Tick();
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(Received());
        _time.Advance(TimeSpan.FromSeconds(0.1)); // 5 s = half of WatchdogSec=10
        Assert.Equal(["WATCHDOG=1"], Received());
        loop.Tick();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["WATCHDOG=1"], Received());

        // The loop stops ticking (last tick 5 s ago): fed while within its 12 s deadline, then never again.
        _time.Advance(TimeSpan.FromSeconds(5));  // 10 s silent: still fed
        Assert.Equal(["WATCHDOG=1"], Received());
        for (int i = 0; i < 6; i++) _time.Advance(TimeSpan.FromSeconds(5)); // 15..40 s silent
        Assert.Empty(Received());
        Assert.Equal(4, feeder.SystemdFeeds);
        Assert.Equal(6, feeder.WithheldFeeds);

        n.Stopping();
        feeder.Stop();
        Assert.Equal(["STOPPING=1"], Received());
    }
}
