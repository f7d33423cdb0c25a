using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Runs Debian's libcoap 4.3 tools (package libcoap3-bin) as real foreign peers; kills them on timeout or dispose.</summary>
internal static class LibcoapTool
{
    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        return new ToolResult(process.ExitCode, await stdout, await stderr, timedOut, stopwatch.Elapsed);
    }

    /// <summary>A port P with P+1 also free (coap-server serves coap on P and coaps on P+1).</summary>
    public static int FreePortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)first.LocalEndPoint!).Port;
            if (port >= 65_535)
                continue;
            try
            {
                using var second = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                second.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
                // P+1 taken: try another.
            }
        }
        throw new InvalidOperationException("no free UDP port pair on 127.0.0.1");
    }

    internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed)
    {
        public override string ToString() =>
            $"exit {ExitCode}{(TimedOut ? " (killed after timeout)" : "")} after {Elapsed.TotalSeconds:0.0} s\nstdout: {Stdout}\nstderr: {Stderr}";
    }
}

/// <summary><c>coap-server-openssl -A 127.0.0.1 -p P -k KEY -h HINT</c>: coap on P, coaps on P+1. Killed on dispose.</summary>
internal sealed class LibcoapServer : IAsyncDisposable
{
    private readonly Process _process;

    private LibcoapServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint CoapsEndPoint => new(IPAddress.Loopback, Port + 1);

    public static async Task<LibcoapServer> StartAsync(string key, string hint, params string[] extra)
    {
        var port = LibcoapTool.FreePortPair();
        var start = new ProcessStartInfo("coap-server-openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-A", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", key, "-h", hint, .. extra])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start coap-server-openssl");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LibcoapServer(process, port);

        // Ready when it answers a plain CoAP GET on P (poll with a deadline; the machine may be loaded).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"coap-server-openssl exited with {process.ExitCode} before it was ready");
            var probe = await LibcoapTool.RunAsync("coap-client-notls", ["-m", "get", "-B", "2", $"coap://127.0.0.1:{port}/"], TimeSpan.FromSeconds(10));
            if (probe.ExitCode == 0 && probe.Stdout.Length > 0)
                return server;
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"coap-server-openssl on port {port} not ready after 30 s: {probe}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
