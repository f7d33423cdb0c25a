using System.Net;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>
/// libcoap's <c>coap-server-openssl</c> on loopback: plain CoAP on <see cref="PlainEndPoint"/>, DTLS-PSK on
/// <see cref="SecureEndPoint"/> (PORT+1). Serves its example resources (<c>/</c>, <c>/time</c>, ...); any other
/// path answers 4.04, which is all a request-size capture needs.
/// </summary>
public sealed class LibcoapServer : IAsyncDisposable
{
    public const string Program = "coap-server-openssl";

    private readonly ManagedProcess _process;

    private LibcoapServer(ManagedProcess process, int port)
    {
        _process = process;
        PlainEndPoint = new IPEndPoint(IPAddress.Loopback, port);
        SecureEndPoint = new IPEndPoint(IPAddress.Loopback, port + 1);
    }

    public IPEndPoint PlainEndPoint { get; }

    public IPEndPoint SecureEndPoint { get; }

    /// <summary>Starts the server and waits until it answers a GET of <c>/</c>; null and a reason when it cannot.</summary>
    public static async Task<(LibcoapServer? Server, string? Reason)> StartAsync(string pskHint, string psk, CancellationToken cancellationToken)
    {
        if (Tools.Find(Program) is not { } path)
        {
            return (null, $"{Program} is not installed (apt-get install libcoap3-bin)");
        }

        int port = FreePorts.Pair();
        var process = ManagedProcess.Start("libcoap server", path, ["-A", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", pskHint, "-k", psk]);
        var server = new LibcoapServer(process, port);
        bool up = await process.WaitUntilAsync(async () =>
        {
            var r = await LibcoapClient.RunAsync(["-m", "get", "-B", "2", $"coap://127.0.0.1:{port}/"], cancellationToken);
            return r.ExitCode == 0 && r.Output.Contains("libcoap", StringComparison.OrdinalIgnoreCase);
        }, TimeSpan.FromSeconds(20), cancellationToken);
        if (!up)
        {
            string tail = process.Tail();
            await server.DisposeAsync();
            return (null, $"{Program} on port {port} did not answer within 20 s: {tail}");
        }

        return (server, null);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
