using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeNode.BudgetGuard.Probes;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Benchmarks;

/// <summary>
/// The protobuf heartbeat payload (the budget guard's <see cref="RepresentativeHeartbeat"/>): encoded into a reused
/// buffer by the agent's <see cref="LinkCodecs"/> and by the hub's source-generated protobuf-net model, decoded into a
/// reused message by both. The budget guard asserts the allocations without BDN (benchmarks/budgets.json:
/// heartbeat-encode-alloc, heartbeat-decode-alloc); this suite adds the timings.
/// </summary>
[MemoryDiagnoser]
public class HeartbeatPayloadBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private readonly byte[] _buffer = new byte[256];
    private readonly Heartbeat _decoded = new();
    private Heartbeat _heartbeat = null!;
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _heartbeat = RepresentativeHeartbeat.Create();
        LinkContracts.Instance.Serialize(_writer, _heartbeat);
        _encoded = _writer.WrittenSpan.ToArray();
    }

    /// <summary>The agent's encoder.</summary>
    [Benchmark(Baseline = true)]
    public int EncodeLinkCodecs() => LinkCodecs.Heartbeat.TryEncode(_heartbeat, _buffer, out var written) ? written : -1;

    /// <summary>The hub's encoder.</summary>
    [Benchmark]
    public int Encode()
    {
        _writer.ResetWrittenCount();
        LinkContracts.Instance.Serialize(_writer, _heartbeat);
        return _writer.WrittenCount;
    }

    /// <summary>The agent's decoder (a new message per decode).</summary>
    [Benchmark]
    public uint DecodeLinkCodecs() => LinkCodecs.Heartbeat.Decode(_encoded).Sequence;

    /// <summary>The hub's decoder, into a reused message.</summary>
    [Benchmark]
    public uint Decode()
    {
        _decoded.AppStates.Clear();
        _decoded.Degraded.Clear();
        LinkContracts.Instance.Deserialize<Heartbeat>((ReadOnlySpan<byte>)_encoded, _decoded);
        return _decoded.Sequence;
    }
}
