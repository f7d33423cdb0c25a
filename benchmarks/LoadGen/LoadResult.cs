namespace EdgeNode.LoadGen;

public sealed record LoadResult(string Mode, int Agents, double Seconds, long Ok, long Errors, long Timeouts, double P50Ms, double P99Ms,
    long HubRssBytes, long HubPeakRssBytes, double HubCpuCores, double HandshakeSeconds)
{
    public double PerSecond => Ok / Seconds;

    public override string ToString() =>
        $"{Mode,-6} agents={Agents} hb/s={PerSecond:F0} ok={Ok} errors={Errors} timeouts={Timeouts} p50={P50Ms:F2}ms p99={P99Ms:F2}ms " +
        $"hubRSS={HubRssBytes / 1048576.0:F1}MiB peak={HubPeakRssBytes / 1048576.0:F1}MiB hubCPU={HubCpuCores:F2} cores" +
        (HandshakeSeconds > 0 ? $" handshakes={HandshakeSeconds:F1}s" : "");
}
