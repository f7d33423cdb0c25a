using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeNode.Link.Tests.Interop;

/// <summary>
/// Runs Debian's libcoap 4.3 tools (package libcoap3-bin) as processes, with deadlines and cleanup.
/// Shared by the plain-CoAP interop tests and the DTLS ones (pass coaps:// URIs and -k/-u arguments).
/// </summary>
public static class LibcoapTool
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    public static string ClientPath(string flavour) => $"/usr/bin/coap-client-{flavour}";

    public static string ServerPath(string flavour) => $"/usr/bin/coap-server-{flavour}";

    /// <summary>Throws a clear error when the tool is missing (apt-get install libcoap3-bin).</summary>
    public static void Require(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: install Debian's libcoap3-bin (scripts/install-deps.sh does).");
        }
    }

    /// <summary>Runs a tool to completion; kills it at the deadline.</summary>
    public static async Task<ToolResult> RunAsync(string path, IEnumerable<string> arguments, TimeSpan? deadline = null)
    {
        Require(path);
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(deadline ?? DefaultDeadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} {string.Join(' ', info.ArgumentList)} did not finish within {(deadline ?? DefaultDeadline).TotalSeconds} s; stderr: {await stderr}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr, $"{Path.GetFileName(path)} {string.Join(' ', info.ArgumentList)}");
    }

    /// <summary>A UDP port that is free now (and, when asked, the one after it too: libcoap's DTLS port).</summary>
    public static int FreeUdpPort(bool alsoNext = false)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (!alsoNext || port == ushort.MaxValue)
            {
                if (!alsoNext)
                {
                    return port;
                }

                continue;
            }

            try
            {
                using var next = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                next.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
                // Try another.
            }
        }

        throw new InvalidOperationException("no free UDP port pair on 127.0.0.1");
    }

    public sealed record ToolResult(int ExitCode, string Stdout, string Stderr, string CommandLine)
    {
        public override string ToString() => $"`{CommandLine}` exited {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
    }
}

/// <summary>A libcoap <c>coap-server-*</c> process on a random port; killed on dispose.</summary>
public sealed class LibcoapServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private LibcoapServer(Process process, int port)
    {
        this.process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Plain CoAP port; DTLS (when keys are given) is <c>Port + 1</c>.</summary>
    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public static LibcoapServer Start(string flavour, params string[] extraArguments)
    {
        string path = LibcoapTool.ServerPath(flavour);
        LibcoapTool.Require(path);
        int port = LibcoapTool.FreeUdpPort(alsoNext: true);
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-A", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {path}");
        return new LibcoapServer(process, port);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
