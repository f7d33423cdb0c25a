using System.Globalization;
using System.Net;
using EdgeNode.Link.Coap;
using EdgeNode.Link.Coap.Codec;
using EdgeNode.Link.Tests.Support;
using EdgeNode.Link.Transport;
using Xunit.Abstractions;

namespace EdgeNode.Link.Tests.Coap;

/// <summary>
/// A million random and mutated datagrams pushed straight into a server endpoint's process function.
/// Seeded: set EDGENODE_FUZZ_SEED to replay a run (the seed is printed). Asserts that nothing throws, that the
/// deduplication cache stays at its cap, and that the managed heap does not grow without bound.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Datagrams = 1_000_000;
    private const int DedupCap = 2048;

    [Fact]
    public async Task Endpoint_MillionRandomAndMutatedDatagrams_NeverThrowsAndStaysBounded()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("EDGENODE_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 20261123;
        output.WriteLine($"fuzz seed {seed} (replay with EDGENODE_FUZZ_SEED={seed})");
        var random = new Random(seed);
        var options = new CoapEndpointOptions { MaxDeduplicationEntries = DedupCap, MaxBlockTransfers = 64, MaxBodySize = 64 * 1024 };
        await using var harness = new ServerHarness(options);
        harness.Transport.RecordSent = false;
        harness.KeepRequests = false;
        var peers = Enumerable.Range(0, 500).Select(i => new PeerAddress(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000 + i))).ToArray();
        var seeds = SeedMessages();
        var buffer = new byte[1600];
        long valid = 0;
        long answers = 0;
        long heapAfterWarmup = 0;
        long heapAtHalf = 0;
        long maxDedup = 0;

        for (int i = 0; i < Datagrams; i++)
        {
            int length = Generate(random, seeds, buffer);
            var peer = peers[random.Next(peers.Length)];
            byte[]? answer;
            try
            {
                answer = harness.Server.Endpoint.Process(buffer.AsSpan(0, length), peer);
            }
            catch (Exception ex)
            {
                Assert.Fail($"datagram #{i} (seed {seed}) {Convert.ToHexString(buffer, 0, length)} threw {ex}");
                throw;
            }

            if (answer is not null)
            {
                answers++;
            }

            if (CoapMessageReader.Parse(buffer.AsSpan(0, length), out _) == CoapFormatError.None)
            {
                valid++;
            }

            if (i % 10_000 == 0)
            {
                harness.Time.Advance(TimeSpan.FromSeconds(20));
                maxDedup = Math.Max(maxDedup, harness.Server.Endpoint.DeduplicationCount);
            }

            if (i == 100_000)
            {
                heapAfterWarmup = GC.GetTotalMemory(forceFullCollection: true);
            }

            if (i == Datagrams / 2)
            {
                heapAtHalf = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        long heapAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{Datagrams} datagrams: {valid} parsed as valid, {answers} immediate answers, {harness.Delivered} handler calls, malformed {harness.Server.Metrics.MalformedTotal}, max dedup entries {maxDedup}, heap {heapAfterWarmup / 1024} KiB (100k) -> {heapAtHalf / 1024} KiB (500k) -> {heapAtEnd / 1024} KiB (1M)");

        Assert.True(valid > Datagrams / 10, "the generator should produce a fair share of valid messages");
        Assert.True(harness.Delivered > 1000, "some fuzzed requests should reach a handler");
        Assert.True(harness.Server.Metrics.MalformedTotal > Datagrams / 10);
        Assert.InRange(maxDedup, 1, DedupCap);
        Assert.InRange(harness.Server.Endpoint.DeduplicationCount, 0, DedupCap);
        Assert.True(heapAtEnd - heapAfterWarmup < 32 * 1024 * 1024, $"heap grew from {heapAfterWarmup} to {heapAtEnd} bytes");

        // Bounded, not just small: the second half of the run adds (almost) nothing once the caches are full.
        Assert.True(heapAtEnd - heapAtHalf < 4 * 1024 * 1024, $"heap still growing: {heapAtHalf} -> {heapAtEnd} bytes");
    }

    private static List<byte[]> SeedMessages()
    {
        var list = new List<byte[]>
        {
            Datagrams_.Request(CoapMessageType.Confirmable, CoapMethod.Post, 1, [1, 2], "hb", [8, 1, 16, 2]),
            Datagrams_.Request(CoapMessageType.NonConfirmable, CoapMethod.Get, 2, [3], "ds"),
            Datagrams_.Request(CoapMessageType.Confirmable, CoapMethod.Get, 3, [], ".well-known/core"),
            Datagrams_.Request(CoapMessageType.Confirmable, CoapMethod.Post, 4, [4], "st", new byte[64], (CoapOptionNumber.Block1, [0x0A]), (CoapOptionNumber.Size1, [0x10, 0x00])),
            Datagrams_.Request(CoapMessageType.Confirmable, CoapMethod.Post, 5, [5], "st", new byte[16], (CoapOptionNumber.Block1, [0x18])),
            Datagrams_.Request(CoapMessageType.Confirmable, CoapMethod.Get, 6, [6], "ds", null, (CoapOptionNumber.Block2, [0x12]), (CoapOptionNumber.ETag, [1, 2, 3])),
            Support.Datagrams.Hex("60 45 00 07 FF 01"),
            Support.Datagrams.Hex("70 00 00 08"),
            Support.Datagrams.Hex("40 00 00 09"),
            Support.Datagrams.Hex("52 45 00 0A 01 02 C0 FF 41"),
        };
        return list;
    }

    private static int Generate(Random random, List<byte[]> seeds, byte[] buffer)
    {
        int mode = random.Next(10);
        if (mode < 2)
        {
            // Pure noise, mostly short.
            int length = random.Next(0, random.Next(2) == 0 ? 16 : 200);
            random.NextBytes(buffer.AsSpan(0, length));
            return length;
        }

        if (mode == 2)
        {
            // Noise behind a plausible header (version 1, TKL ≤ 8).
            int length = random.Next(4, 80);
            random.NextBytes(buffer.AsSpan(0, length));
            buffer[0] = (byte)(0x40 | (buffer[0] & 0x30) | random.Next(0, 9));
            return length;
        }

        var seed = seeds[random.Next(seeds.Count)];
        seed.CopyTo(buffer, 0);
        int n = seed.Length;
        if (n >= 4)
        {
            // Fresh message id so the dedup cache sees new keys.
            buffer[2] = (byte)random.Next(256);
            buffer[3] = (byte)random.Next(256);
        }

        int mutations = mode == 3 ? 0 : random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.Next(6))
            {
                case 0 when n > 0:
                    buffer[random.Next(n)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when n > 0:
                    buffer[random.Next(n)] = (byte)random.Next(256);
                    break;
                case 2 when n < buffer.Length - 1:
                    int at = random.Next(n + 1);
                    Array.Copy(buffer, at, buffer, at + 1, n - at);
                    buffer[at] = (byte)random.Next(256);
                    n++;
                    break;
                case 3 when n > 0:
                    int del = random.Next(n);
                    Array.Copy(buffer, del + 1, buffer, del, n - del - 1);
                    n--;
                    break;
                case 4:
                    n = random.Next(n + 1);
                    break;
                default:
                    int extra = Math.Min(random.Next(1, 40), buffer.Length - n);
                    random.NextBytes(buffer.AsSpan(n, extra));
                    n += extra;
                    break;
            }
        }

        return n;
    }

    private static class Datagrams_
    {
        public static byte[] Request(CoapMessageType type, CoapMethod method, ushort id, byte[] token, string path, byte[]? payload = null, params (int Number, byte[] Value)[] extra) =>
            Support.Datagrams.Request(type, method, id, token, path, payload, extra);
    }
}
