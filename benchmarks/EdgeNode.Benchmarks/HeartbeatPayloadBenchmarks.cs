using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Benchmarks;

/// <summary>
/// The protobuf heartbeat payload through the source-generated model: encode into a reused buffer (the agent)
/// and decode into a reused message (the hub). The budget guard asserts the same allocations without BDN
/// (benchmarks/budgets.json: heartbeat-encode-alloc, heartbeat-decode-alloc); this suite adds the timings.
/// </summary>
[MemoryDiagnoser]
public class HeartbeatPayloadBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private readonly Heartbeat _decoded = new();
    private Heartbeat _heartbeat = null!;
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _heartbeat = new Heartbeat
        {
            Sequence = 43_200,
            UptimeSeconds = 30 * 86_400,
            State = UnitState.Online,
            BootReason = BootReason.CleanStop,
            CpuPermille = 237,
            MemoryUsedMb = 412,
            DiskFreeMb = 20_480,
            TemperatureC = 47,
            AppStates = [0x3, 0x3, 0x33, 0x3, 0x3],
            AppliedGeneration = 42,
            LastEventSequence = 100_000,
        };
        LinkContracts.Instance.Serialize(_writer, _heartbeat);
        _encoded = _writer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int Encode()
    {
        _writer.ResetWrittenCount();
        LinkContracts.Instance.Serialize(_writer, _heartbeat);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public uint Decode()
    {
        _decoded.AppStates.Clear();
        _decoded.Degraded.Clear();
        LinkContracts.Instance.Deserialize<Heartbeat>((ReadOnlySpan<byte>)_encoded, _decoded);
        return _decoded.Sequence;
    }
}
