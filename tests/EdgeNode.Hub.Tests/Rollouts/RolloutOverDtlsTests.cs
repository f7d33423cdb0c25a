using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Tests.Support;

namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>The crash-looping canary again, with the units on real CoAP over DTLS-PSK sockets (desired state fetched block-wise).</summary>
public sealed class RolloutOverDtlsTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private readonly List<RolloutUnit> _units = [];

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: true);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("1.0", 4), "test");
        for (var i = 1; i <= 4; i++)
        {
            var unit = await RolloutUnit.OnboardAsync(_hub, LineSpec.Slot(i), i);
            unit.Link = await CoapLink.SecureAsync(_hub.CoapsEndPoint, unit.DeviceId, unit.Psk);
            _units.Add(unit);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var u in _units)
        {
            await u.Link!.DisposeAsync();
        }

        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task Rollout_CanaryCrashLoopsOverDtls_HaltsAndRollsBackOthersUntouched()
    {
        var id = _hub.Host.Rollouts.Create(OperatorScope.Admin, new RolloutRequest(Files: LineSpec.Files("bad", 4), Waves: ["1", "rest"], SoakSeconds: 60)).Id;

        for (var i = 0; i < 20 && _hub.Host.Rollouts.Get(OperatorScope.Admin, id).State == RolloutState.Running; i++)
        {
            foreach (var u in _units)
            {
                await u.PulseAsync();
            }

            _hub.Time.Advance(TimeSpan.FromSeconds(10));
            _hub.Host.Rollouts.Tick();
        }

        var final = _hub.Host.Rollouts.Get(OperatorScope.Admin, id);
        Assert.Equal(RolloutState.RolledBack, final.State);
        Assert.Contains($"slot {LineSpec.Slot(1)}: app 'web'", final.HaltReason, StringComparison.Ordinal);
        foreach (var u in _units)
        {
            await u.PulseAsync();
        }

        Assert.Contains("registry.local/web:bad", _units[0].ImagesSeen);
        Assert.Equal((1UL, "registry.local/web:1.0"), (_units[0].Applied.Generation, _units[0].Applied.Apps.Single(a => a.Name == "web").Image));
        Assert.All(_units.Skip(1), u => Assert.All(u.AckedGenerations, g => Assert.Equal(1UL, g)));
    }
}
