using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EdgeNode.Agent.Tests.Hosting;

/// <summary>
/// The agent as a child process: the AOT binary from <c>scripts/publish-agent.sh</c> when it exists
/// (artifacts/agent/linux-x64/edgenode-agent), else the built assembly under <c>dotnet</c>. Captures its output and
/// listens on a real unix datagram socket passed as NOTIFY_SOCKET.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly Socket _notify;
    private readonly List<(DateTime At, string Message)> _messages = [];
    private readonly StringBuilder _output = new();
    private readonly Thread _reader;

    public AgentProcess(string directory, IReadOnlyList<string> args, IDictionary<string, string>? environment = null)
    {
        NotifyPath = Path.Combine(directory, "notify.sock");
        _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _notify.Bind(new UnixDomainSocketEndPoint(NotifyPath));
        _reader = new Thread(ReadNotifications) { IsBackground = true };
        _reader.Start();

        var (file, prefix) = Locate();
        Binary = file;
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NOTIFY_SOCKET"] = NotifyPath;
        start.Environment.Remove("JOURNAL_STREAM");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string NotifyPath { get; }

    public string Binary { get; }

    public int Pid => _process.Id;

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public IReadOnlyList<(DateTime At, string Message)> Messages { get { lock (_messages) { return _messages.ToArray(); } } }

    public static (string File, string[] Prefix) Locate()
    {
        var dir = AppContext.BaseDirectory;
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            var aot = Path.Combine(d.FullName, "artifacts", "agent", "linux-x64", "edgenode-agent");
            if (File.Exists(aot) && File.Exists(Path.Combine(d.FullName, "EdgeNode.sln")))
            {
                return (aot, []);
            }
        }

        return ("dotnet", [Path.Combine(dir, "edgenode-agent.dll")]);
    }

    /// <summary>Polls until <paramref name="condition"/> holds over the received messages, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<(DateTime At, string Message)>, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Messages))
            {
                return;
            }

            if (_process.HasExited)
            {
                Assert.Fail($"agent exited with {_process.ExitCode} while waiting for {what}; output:\n{Output}");
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; notifications: {string.Join(" | ", Messages.Select(m => m.Message))}\noutput:\n{Output}");
    }

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _notify.Dispose();
    }

    private void ReadNotifications()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = _notify.Receive(buffer);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, n);
            lock (_messages)
            {
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    _messages.Add((DateTime.UtcNow, line));
                }
            }
        }
    }
}
