using System.Net;
using BenchmarkDotNet.Attributes;
using EdgeNode.Link.Dtls;
using EdgeNode.Link.Transport;

namespace EdgeNode.Benchmarks;

/// <summary>
/// DTLS 1.2 PSK (TLS_PSK_WITH_AES_128_CCM_8) on loopback, our client against our server: a full handshake
/// (HelloVerifyRequest cookie exchange included) and one record round trip. The heartbeat's size on the wire
/// is shown in the "Heartbeat on wire" column (<see cref="DtlsHeartbeatWire"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DtlsHeartbeatWire.Config))]
public class DtlsBenchmarks
{
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private readonly byte[] _receiveBuffer = new byte[2048];
    private DtlsServerTransport _server = null!;
    private DtlsClientTransport _client = null!;
    private DtlsOptions _options = null!;
    private PeerAddress _serverAddress;
    private byte[] _heartbeat = null!;
    private byte[] _block = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _options = new DtlsOptions
        {
            CipherSuites = [DtlsCipherSuite.PskWithAes128Ccm8],
            HandshakeTimeout = TimeSpan.FromSeconds(30),
            ReceiveQueueCapacity = 64,
        };
        _server = new DtlsServerTransport(new IPEndPoint(IPAddress.Loopback, 0), new SingleKeyStore(Key), _options);
        _client = await DtlsClientTransport.ConnectAsync(_server.LocalEndPoint, "bench-unit", Key, _options);
        _serverAddress = new PeerAddress(_server.LocalEndPoint);
        _heartbeat = new byte[DtlsHeartbeatWire.Compute(DtlsHeartbeatWire.Sample()).Coap];
        _block = new byte[1024 + 20];
        Random.Shared.NextBytes(_heartbeat);
        Random.Shared.NextBytes(_block);
        Console.WriteLine($"// {DtlsHeartbeatWire.Describe()}");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Client → server → client with a heartbeat-sized record: encrypt, send, decrypt on the server's
    /// socket loop, and back.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> RecordRoundTripHeartbeat() => RoundTripAsync(_heartbeat);

    /// <summary>The same with a 1024-byte block and its CoAP header (a Block2 transfer's datagram).</summary>
    [Benchmark]
    public Task<int> RecordRoundTripBlock() => RoundTripAsync(_block);

    private async Task<int> RoundTripAsync(byte[] payload)
    {
        await _client.SendAsync(payload, _serverAddress, CancellationToken.None);
        var request = await _server.ReceiveAsync(_receiveBuffer, CancellationToken.None);
        await _server.SendAsync(_receiveBuffer.AsMemory(0, request.Length), request.Peer, CancellationToken.None);
        var response = await _client.ReceiveAsync(_receiveBuffer, CancellationToken.None);
        return response.Length;
    }

    /// <summary>A new association: ClientHello, HelloVerifyRequest, ClientHello+cookie, PSK key exchange,
    /// Finished both ways; then close_notify.</summary>
    [Benchmark]
    public async Task<DtlsCipherSuite> Handshake()
    {
        await using var client = await DtlsClientTransport.ConnectAsync(_server.LocalEndPoint, "bench-unit", Key, _options);
        return client.CipherSuite;
    }

    private sealed class SingleKeyStore(byte[] key) : IPskKeyStore
    {
        public byte[]? GetKey(string identity) => identity == "bench-unit" ? key : null;
    }
}
