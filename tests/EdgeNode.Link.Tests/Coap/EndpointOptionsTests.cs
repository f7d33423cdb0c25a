using EdgeNode.Link.Coap;

namespace EdgeNode.Link.Tests.Coap;

public sealed class EndpointOptionsTests
{
    [Fact]
    public void Defaults_DerivedLifetimes_MatchRfc7252Section4_8_2()
    {
        var options = CoapEndpointOptions.Default;

        Assert.Equal(TimeSpan.FromSeconds(45), options.MaxTransmitSpan);
        Assert.Equal(TimeSpan.FromSeconds(93), options.MaxTransmitWait);
        Assert.Equal(TimeSpan.FromSeconds(247), options.ExchangeLifetime);
        Assert.Equal(TimeSpan.FromSeconds(145), options.NonLifetime);
    }

    /// <summary>A bad setting and the word the error must contain.</summary>
    public static TheoryData<CoapEndpointOptions, string> BadOptions => new()
    {
        // Zero ACK timeout: nothing would ever wait.
        { new CoapEndpointOptions { AckTimeout = TimeSpan.Zero }, "AckTimeout" },
        // Random factor below 1 shortens the timeout.
        { new CoapEndpointOptions { AckRandomFactor = 0.5 }, "AckRandomFactor" },
        // Negative retransmissions.
        { new CoapEndpointOptions { MaxRetransmit = -1 }, "MaxRetransmit" },
        // NSTART 0 would block every request.
        { new CoapEndpointOptions { NStart = 0 }, "NStart" },
        // Block size not a power of two.
        { new CoapEndpointOptions { PreferredBlockSize = 1000 }, "PreferredBlockSize" },
        // Block size above 1024 (BERT is TCP only).
        { new CoapEndpointOptions { PreferredBlockSize = 2048 }, "PreferredBlockSize" },
        // Token longer than 8 bytes.
        { new CoapEndpointOptions { TokenLength = 9 }, "TokenLength" },
        // Dedup cache of size 0.
        { new CoapEndpointOptions { MaxDeduplicationEntries = 0 }, "MaxDeduplicationEntries" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Server_BadOptions_ThrowNamingTheSetting(CoapEndpointOptions options, string setting)
    {
        await using var transport = new Support.ChannelTransport(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1));

        var ex = Assert.Throws<ArgumentException>(() => new CoapServer(transport, options));

        Assert.Contains(setting, ex.Message);
    }

    [Fact]
    public void Metrics_Snapshot_HasPrometheusNamesForEveryCounter()
    {
        var metrics = new CoapEndpointMetrics();

        var names = metrics.Snapshot().Select(p => p.Key).ToList();

        Assert.Equal(Enum.GetValues<CoapCounter>().Length, names.Count);
        Assert.Contains("coap_malformed_truncated_total", names);
        Assert.Contains("coap_datagrams_received_total", names);
        Assert.All(names, n => Assert.Matches("^coap_[a-z_]+_total$", n));
        Assert.Equal("coap_malformed_option_delta_total", CoapEndpointMetrics.GetName(CoapCounter.MalformedOptionDelta));
    }
}
