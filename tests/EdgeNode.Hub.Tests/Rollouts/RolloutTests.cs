using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Tests.Support;

namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>Staged rollouts over 20 simulated units heartbeating through the hub's device protocol handler, on fake time.</summary>
public sealed class RolloutTests : IAsyncLifetime
{
    private const int Count = 20;
    private TestHub _hub = null!;
    private List<RolloutUnit> _units = [];

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("1.0", Count), "test");
        for (var i = 1; i <= Count; i++)
        {
            _units.Add(await RolloutUnit.OnboardAsync(_hub, LineSpec.Slot(i), i));
        }

        Assert.All(_units, u => Assert.Equal(1UL, u.Applied.Generation));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<JsonElement> CreateAsync(string tag, object? selector = null, bool autoRollback = true, double soak = 60)
    {
        using var http = _hub.Client();
        var response = await http.PostAsJsonAsync("/api/rollouts", new
        {
            files = LineSpec.Files(tag, Count), waves = new[] { "1", "10%", "rest" }, soakSeconds = soak, selector, autoRollback,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private async Task<JsonElement> GetAsync(long id)
    {
        using var http = _hub.Client();
        return await http.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
    }

    /// <summary>Every unit heartbeats, then 10 s of fake time pass (the hub's timers, including the rollout tick, fire).</summary>
    private async Task PulseAsync()
    {
        foreach (var u in _units)
        {
            await u.PulseAsync();
        }

        _hub.Time.Advance(TimeSpan.FromSeconds(10));
        _hub.Host.Rollouts.Tick();
    }

    private async Task<RolloutView> RunUntilAsync(long id, Func<RolloutView, bool> done, int maxPulses = 60)
    {
        for (var i = 0; i < maxPulses; i++)
        {
            var view = _hub.Host.Rollouts.Get(OperatorScope.Admin, id);
            if (done(view))
            {
                return view;
            }

            await PulseAsync();
        }

        Assert.Fail($"rollout {id} did not reach the expected state within {maxPulses} pulses: {_hub.Host.Rollouts.Get(OperatorScope.Admin, id)}");
        return null!;
    }

    private static bool Terminal(RolloutView v) => v.State is not (RolloutState.Running or RolloutState.Paused);

    [Fact]
    public async Task Rollout_CanaryCrashLoops_HaltsAfterWave1CanaryRollsBackOthersNeverSeeIt()
    {
        _hub.Host.Alerts.CreateRule(OperatorScope.Admin, new("rollout-halted", "http://127.0.0.1:9/nowhere"));
        var created = await CreateAsync("bad");
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal([1, 2, 17], created.GetProperty("waves").EnumerateArray().Select(w => w.GetProperty("slots").GetInt32()));
        var canary = created.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("wave").GetInt32() == 1).GetProperty("slot").GetString();
        Assert.Equal(LineSpec.Slot(1), canary);

        var final = await RunUntilAsync(id, Terminal);

        Assert.Equal(RolloutState.RolledBack, final.State);
        Assert.StartsWith($"wave 1 (1): slot {canary}: app 'web'", final.HaltReason, StringComparison.Ordinal);
        Assert.Equal(1, final.CurrentWave);
        Assert.Equal(["RolledBack", "Skipped", "Skipped"], final.Waves.Select(w => w.State));
        Assert.Contains("app 'web'", final.Slots!.Single(s => s.Slot == canary).Detail, StringComparison.Ordinal);
        var canaryUnit = _units.Single(u => u.Slot == canary);
        Assert.Contains("registry.local/web:bad", canaryUnit.ImagesSeen); // the canary did run it
        Assert.Equal(2UL, canaryUnit.AckedGenerations.Max());
        // Rolled back to the previous generation: the slot points at generation 1 again and the unit runs it.
        var slot = _hub.Host.Fleet.GetSlot(OperatorScope.Admin, canary!);
        Assert.Equal((1UL, 2UL), (slot.CurrentGeneration, slot.PreviousGeneration));
        await PulseAsync();
        Assert.Equal(1UL, canaryUnit.Applied.Generation);
        Assert.Equal("registry.local/web:1.0", canaryUnit.Applied.Apps.Single(a => a.Name == "web").Image);
        // The other 19 never saw the bad version: every ack they ever got said generation 1, and they fetched nothing new.
        foreach (var u in _units.Where(u => u != canaryUnit))
        {
            Assert.All(u.AckedGenerations, g => Assert.Equal(1UL, g));
            Assert.DoesNotContain("registry.local/web:bad", u.ImagesSeen);
            Assert.Equal(1UL, _hub.Host.Fleet.GetSlot(OperatorScope.Admin, u.Slot).CurrentGeneration);
        }

        _hub.Host.Alerts.Evaluate();
        Assert.Contains(_hub.Host.Alerts.Firing(OperatorScope.Admin), a => a.Subject == $"rollout:{id}" && a.Kind == "rollout-halted");
        // The rollout is over: the tenant may apply specs again; the halt is visible over HTTP.
        var shown = await GetAsync(id);
        Assert.Equal("RolledBack", shown.GetProperty("state").GetString());
        Assert.Equal("RolledBack", shown.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("slot").GetString() == canary).GetProperty("state").GetString());
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("1.0", Count), "after");
    }

    [Fact]
    public async Task Rollout_GoodVersion_GoesThroughEveryWaveInOrder()
    {
        var created = await CreateAsync("1.1");
        var id = created.GetProperty("id").GetInt64();
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var pulse = 0; pulse < 60 && !Terminal(_hub.Host.Rollouts.Get(OperatorScope.Admin, id)); pulse++)
        {
            foreach (var u in _units.Where(u => u.Applied.Generation == 2))
            {
                firstSeen.TryAdd(u.Slot, pulse);
            }

            await PulseAsync();
        }

        var final = _hub.Host.Rollouts.Get(OperatorScope.Admin, id);
        Assert.Equal(RolloutState.Completed, final.State);
        Assert.Equal("", final.HaltReason);
        Assert.All(final.Waves, w => Assert.Equal("Passed", w.State));
        Assert.All(final.Slots!, s => Assert.Equal(RolloutSlotState.Passed, s.State));
        await PulseAsync();
        Assert.All(_units, u => Assert.Equal(("registry.local/web:1.1", 2UL), (u.Applied.Apps.Single(a => a.Name == "web").Image, u.Applied.Generation)));
        // Waves in order, each after the previous one's soak (60 s = 6 pulses).
        var wave = final.Slots!.ToDictionary(s => s.Slot, s => s.Wave);
        var byWave = wave.GroupBy(w => w.Value).ToDictionary(g => g.Key, g => g.Select(x => firstSeen[x.Key]).ToList());
        Assert.True(byWave[1].Max() + 6 <= byWave[2].Min(), $"wave 2 started before wave 1 soaked: {string.Join(";", byWave.Select(b => b.Key + "=" + string.Join(",", b.Value)))}");
        Assert.True(byWave[2].Max() + 6 <= byWave[3].Min(), "wave 3 started before wave 2 soaked");
        Assert.Equal((1, 2, 17), (byWave[1].Count, byWave[2].Count, byWave[3].Count));
    }

    [Fact]
    public async Task Rollout_HubRestartMidway_ResumesWhereItWas()
    {
        var id = (await CreateAsync("1.1")).GetProperty("id").GetInt64();
        var before = await RunUntilAsync(id, v => v.CurrentWave == 2);
        Assert.Equal(RolloutState.Running, before.State);
        Assert.Equal(2, before.Slots!.Count(s => s.State == RolloutSlotState.Updating));

        await _hub.RestartAsync();

        var after = _hub.Host.Rollouts.Get(OperatorScope.Admin, id);
        Assert.Equal((before.State, before.CurrentWave, before.Waves[1].Started), (after.State, after.CurrentWave, after.Waves[1].Started));
        Assert.Equal(before.Slots!.Select(s => (s.Slot, s.State)), after.Slots!.Select(s => (s.Slot, s.State)));
        // Spec applies stay blocked while the restored rollout is active.
        var blocked = Assert.Throws<FleetException>(() => _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("9.9", Count), "test"));
        Assert.Equal(FleetErrorKind.Conflict, blocked.Kind);

        var final = await RunUntilAsync(id, Terminal);
        Assert.Equal(RolloutState.Completed, final.State);
        Assert.All(_units, u => Assert.Equal(2UL, _hub.Host.Fleet.GetSlot(OperatorScope.Admin, u.Slot).CurrentGeneration));
    }

    [Fact]
    public async Task Rollout_PauseResumeAbortRollback_OperatorControls()
    {
        using var http = _hub.Client();
        // Only the even ring takes part (selector), gate failure would not roll back (autoRollback off).
        var created = await CreateAsync("1.1", selector: new { labels = new Dictionary<string, string> { ["ring"] = "even" } }, autoRollback: false);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(Count / 2, created.GetProperty("slots").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync("/api/spec", new { files = LineSpec.Files("2.0", Count) })).StatusCode);

        Assert.Equal("Paused", (await (await http.PostAsync($"/api/rollouts/{id}/pause", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync($"/api/rollouts/{id}/pause", null)).StatusCode);
        for (var i = 0; i < 12; i++)
        {
            await PulseAsync(); // 120 s: twice the soak, but paused
        }

        Assert.Equal(1, _hub.Host.Rollouts.Get(OperatorScope.Admin, id).CurrentWave);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/rollouts/{id}/resume", null)).StatusCode);
        var wave2 = await RunUntilAsync(id, v => v.CurrentWave == 2);
        Assert.Equal(RolloutState.Running, wave2.State);

        var aborted = await (await http.PostAsync($"/api/rollouts/{id}/abort", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Aborted", aborted.GetProperty("state").GetString());
        for (var i = 0; i < 12; i++)
        {
            await PulseAsync();
        }

        var updated = _units.Where(u => u.Applied.Generation == 2).Select(u => u.Slot).ToList();
        Assert.Equal(1 + 1, updated.Count); // canary + 10 % of 10; no further wave after the abort
        Assert.All(updated, s => Assert.Equal(0, int.Parse(s[^2..], System.Globalization.CultureInfo.InvariantCulture) % 2));

        var rolledBack = await (await http.PostAsync($"/api/rollouts/{id}/rollback", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("RolledBack", rolledBack.GetProperty("state").GetString());
        await PulseAsync();
        Assert.All(_units, u => Assert.Equal(1UL, u.Applied.Generation));
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync($"/api/rollouts/{id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/rollouts/999/pause", null)).StatusCode);
        var list = await http.GetFromJsonAsync<JsonElement>("/api/rollouts?state=rolledback");
        Assert.Equal(id, list.EnumerateArray().Single().GetProperty("id").GetInt64());
    }

    public static TheoryData<object, string> BadRequests => new()
    {
        // a wave size that is neither a count, a percentage nor "rest"
        { new { files = LineSpec.Files("1.1"), waves = new[] { "1", "ten" } }, "wave size 'ten' is invalid" },
        // a percentage above 100
        { new { files = LineSpec.Files("1.1"), waves = new[] { "150%" } }, "wave size '150%' is invalid" },
        // a negative soak
        { new { files = LineSpec.Files("1.1"), soakSeconds = -1 }, "soakSeconds -1 is out of range" },
        // no spec at all
        { new { waves = new[] { "1" } }, "a rollout needs files" },
        // the spec changes nothing
        { new { files = LineSpec.Files("1.0") }, "nothing to roll out" },
        // the selector matches no slot
        { new { files = LineSpec.Files("1.1"), selector = new { site = "nowhere" } }, "nothing to roll out" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task CreateRollout_BadRequest_400WithReasonAndNothingChanges(object body, string reason)
    {
        using var http = _hub.Client();
        var response = await http.PostAsJsonAsync("/api/rollouts", body);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_hub.Host.Rollouts.List(OperatorScope.Admin));
        Assert.All(_units, u => Assert.Equal(1UL, _hub.Host.Fleet.GetSlot(OperatorScope.Admin, u.Slot).CurrentGeneration));
        Assert.Equal(1, (await http.GetFromJsonAsync<JsonElement>("/api/spec")).GetProperty("revision").GetInt64());
    }
}
