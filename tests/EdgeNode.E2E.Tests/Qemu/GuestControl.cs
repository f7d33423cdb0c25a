using System.Net.Sockets;
using System.Text;

namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>
/// Host side of the guest's e2e control channel (images/e2e/.../e2e-ctl): a qemu virtio-serial port
/// named org.edgenode.e2e, bridged to a unix socket on the host. One script at a time; each request
/// carries a unique id so that a late answer to an abandoned request (guest reset, timeout) is ignored.
/// Protocol, one line each way: "id base64(script)" / "id exitcode base64(output)".
/// </summary>
public sealed class GuestControl : IAsyncDisposable
{
    private readonly string _socketPath;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Socket? _socket;
    private StreamReader? _reader;
    private NetworkStream? _stream;
    private long _nextId;

    public GuestControl(string socketPath) => _socketPath = socketPath;

    /// <summary>Runs a bash script in the guest and returns its exit code and combined output.</summary>
    public async Task<GuestResult> ExecAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await _gate.WaitAsync(cts.Token);
        try
        {
            await EnsureConnectedAsync(cts.Token);
            var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = $"{id} {Convert.ToBase64String(Encoding.UTF8.GetBytes(script))}\n";
            await _stream!.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token);
            while (true)
            {
                var line = await _reader!.ReadLineAsync(cts.Token)
                    ?? throw new IOException($"guest control channel {_socketPath} closed (qemu exited?)");
                var parts = line.Split(' ', 3);
                if (parts.Length < 2 || parts[0] != id)
                {
                    continue; // an answer to an abandoned request
                }

                var output = parts.Length == 3 && parts[2].Length > 0 ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])) : "";
                return new GuestResult(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), output);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Disconnect(); // the stream may hold half an answer; start clean next time
            throw new TimeoutException($"guest script did not finish within {timeout.TotalSeconds:0} s: {Abbreviate(script)}");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Like <see cref="ExecAsync"/>, but a non-zero exit code throws with the script's output.</summary>
    public async Task<string> RunAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await ExecAsync(script, timeout, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"guest script failed with exit code {result.ExitCode}: {Abbreviate(script)}\n{result.Output}");
        }

        return result.Output;
    }

    public void Disconnect()
    {
        _reader?.Dispose();
        _stream?.Dispose();
        _socket?.Dispose();
        _reader = null;
        _stream = null;
        _socket = null;
    }

    public ValueTask DisposeAsync()
    {
        Disconnect();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_socket is { Connected: true })
        {
            return;
        }

        Disconnect();
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), cancellationToken);
                _socket = socket;
                _stream = new NetworkStream(socket, ownsSocket: false);
                _reader = new StreamReader(_stream, Encoding.ASCII);
                return;
            }
            catch (SocketException)
            {
                socket.Dispose(); // qemu has not created the socket yet: poll until the caller's deadline
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static string Abbreviate(string script)
    {
        var oneLine = script.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "...";
    }
}
