using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Store;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Store;

public sealed class HubSchemaMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgenode-hub-schema-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Start_Version1Database_MigratedInPlace_DevicesKeptAndBootReasonStored()
    {
        await using var hub = await TestHub.StartAsync(network: false, dataDir: _dir);
        hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, Support.Specs.Plant(), "test");
        var (_, creds) = await Fleets.OnboardAsync(hub, "hw-a", "plant-a/line1/cell1");

        // Between the stop and the next start (the options callback runs then): turn the database into what a
        // version-1 hub left on disk, with no boot_reason column and schema_version 1.
        await hub.RestartAsync(_ =>
        {
            using var old = HubStore.Open(_dir);
            old.Exec("ALTER TABLE devices DROP COLUMN boot_reason; UPDATE meta SET value='1' WHERE key='schema_version';");
        });

        Assert.Equal("plant-a/line1/cell1", hub.Host.Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId).Slot);
        var agent = new SimulatedAgent(new InProcessLink(hub.Host.Devices, creds.DeviceId), "hw-a");
        await agent.RegisterAsync(bootCount: 3, reason: BootReason.Watchdog);
        using var store = HubStore.Open(_dir);
        Assert.Equal("2", store.GetMeta("schema_version"));
        Assert.Equal((long)BootReason.Watchdog, store.Scalar("SELECT boot_reason FROM devices WHERE id=$i", ("$i", creds.DeviceId)));
    }

    [Fact]
    public void Open_DatabaseOfANewerHub_RefusedNamingTheVersion()
    {
        using (var store = HubStore.Open(_dir))
        {
            store.SetMeta("schema_version", "9");
        }

        var error = Assert.Throws<InvalidOperationException>(() => HubStore.Open(_dir));
        Assert.Contains("schema version 9", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "hub.db"), error.Message, StringComparison.Ordinal);
    }
}
