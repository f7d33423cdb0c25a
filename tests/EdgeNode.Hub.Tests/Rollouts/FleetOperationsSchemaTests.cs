using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Store;
using EdgeNode.Hub.Tests.Support;

namespace EdgeNode.Hub.Tests.Rollouts;

public sealed class FleetOperationsSchemaTests
{
    /// <summary>The placeholder tables the hub created before issue 8 (schema only, never written).</summary>
    private const string OldTables = """
        DROP TABLE rollout_slots; DROP TABLE rollouts; DROP TABLE alert_firing; DROP TABLE alert_deliveries; DROP TABLE alert_rules;
        CREATE TABLE rollouts(id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL REFERENCES tenants(id),
            spec_revision INTEGER NOT NULL REFERENCES spec_revisions(id), state TEXT NOT NULL, waves TEXT NOT NULL, selector TEXT NOT NULL,
            soak_s INTEGER NOT NULL, current_wave INTEGER NOT NULL, halt_reason TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE TABLE rollout_slots(rollout_id INTEGER NOT NULL REFERENCES rollouts(id), slot TEXT NOT NULL REFERENCES slots(path),
            wave INTEGER NOT NULL, from_gen INTEGER NOT NULL, to_gen INTEGER NOT NULL, state TEXT NOT NULL, updated_ms INTEGER NOT NULL,
            PRIMARY KEY(rollout_id, slot)) WITHOUT ROWID;
        CREATE TABLE alert_rules(id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT REFERENCES tenants(id), kind TEXT NOT NULL,
            threshold_s INTEGER NOT NULL, webhook_url TEXT NOT NULL, created_ms INTEGER NOT NULL);
        CREATE TABLE alert_deliveries(id INTEGER PRIMARY KEY AUTOINCREMENT, rule_id INTEGER NOT NULL REFERENCES alert_rules(id),
            body TEXT NOT NULL, attempts INTEGER NOT NULL, state TEXT NOT NULL, last_error TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        """;

    [Fact]
    public async Task Start_DataDirWithPlaceholderTables_UpgradedAndRolloutsWork()
    {
        var dir = Path.Combine(Path.GetTempPath(), "edgenode-hub-old-" + Guid.NewGuid().ToString("N"));
        using (var store = HubStore.Open(dir))
        {
            store.Exec(OldTables);
        }

        await using var hub = await TestHub.StartAsync(network: false, dataDir: dir);
        hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("1.0", 2), "test");
        await RolloutUnit.OnboardAsync(hub, LineSpec.Slot(1), 1);
        var rollout = hub.Host.Rollouts.Create(OperatorScope.Admin, new RolloutRequest(Files: LineSpec.Files("1.1", 2), SoakSeconds: 10));
        Assert.Equal(RolloutState.Running, rollout.State);
        hub.Host.Alerts.CreateRule(OperatorScope.Admin, new("rollout-halted", "http://127.0.0.1:9/x"));
        await hub.RestartAsync();
        Assert.Equal(RolloutState.Running, hub.Host.Rollouts.Get(OperatorScope.Admin, rollout.Id).State);
    }
}
