using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>A unix datagram socket to pass as NOTIFY_SOCKET: records when "READY=1" arrives (sd_notify without systemd).</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private long _readyTimestamp;

    public NotifySocket(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _loop = Task.Run(LoopAsync);
    }

    public string Path { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when READY=1 arrived, or 0.</summary>
    public long ReadyTimestamp => Interlocked.Read(ref _readyTimestamp);

    private async Task LoopAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                long now = Stopwatch.GetTimestamp();
                if (Encoding.UTF8.GetString(buffer, 0, n).Split('\n').Contains("READY=1"))
                {
                    Interlocked.CompareExchange(ref _readyTimestamp, now, 0);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(2));
        _stop.Dispose();
        File.Delete(Path);
    }
}
