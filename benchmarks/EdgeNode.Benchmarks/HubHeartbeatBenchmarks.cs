using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeNode.Hub.Configuration;
using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Metrics;
using EdgeNode.Hub.Store;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Benchmarks;

/// <summary>
/// The hub's heartbeat path in process, no sockets: decode the protobuf, update the device's live health,
/// build and encode the ack (DeviceProtocolHandler.Handle), over a registry seeded with N devices.
/// The flush benchmark measures the batched SQLite write per dirty device.
/// </summary>
[MemoryDiagnoser]
public class HubHeartbeatBenchmarks
{
    private string _dir = "";
    private HubStore _store = null!;
    private FleetRegistry _fleet = null!;
    private DeviceProtocolHandler _handler = null!;
    private string[] _ids = [];
    private byte[] _payload = [];
    private int _next;

    [Params(100_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "edgenode-hub-bench-" + Guid.NewGuid().ToString("N"));
        LoadTestSeeder.Seed(_dir, Devices);
        _store = HubStore.Open(_dir);
        var options = new HubOptions { DataDirectory = _dir };
        var metrics = new HubMetrics();
        _fleet = new FleetRegistry(_store, options, TimeProvider.System, metrics, NullLogger.Instance);
        _handler = new DeviceProtocolHandler(_fleet, options, metrics, NullLogger.Instance);
        _ids = [.. Enumerable.Range(0, Devices).Select(LoadTestSeeder.IdOf)];
        var writer = new ArrayBufferWriter<byte>();
        LinkContracts.Instance.Serialize(writer, new Heartbeat
        {
            Sequence = 42, UptimeSeconds = 3600, State = UnitState.Online, BootReason = BootReason.CleanStop, CpuPermille = 120,
            MemoryUsedMb = 700, DiskFreeMb = 9000, TemperatureC = 45,
            AppStates = [AppStateCode.Pack(AppPhase.Running, 0), AppStateCode.Pack(AppPhase.Running, 2)], AppliedGeneration = 1,
        });
        _payload = writer.WrittenSpan.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "POST /hb handled (decode, update, ack)")]
    public DeviceReply Heartbeat()
    {
        var i = _next++;
        if (_next == _ids.Length)
        {
            _next = 0;
        }

        return _handler.Handle(DeviceResource.Heartbeat, _ids[i], secured: true, _payload);
    }

    [Benchmark(OperationsPerInvoke = 1000, Description = "heartbeat + batched flush, per device (1000 per batch)")]
    public int HeartbeatAndFlush()
    {
        for (var k = 0; k < 1000; k++)
        {
            Heartbeat();
        }

        return _fleet.FlushHealth();
    }
}
