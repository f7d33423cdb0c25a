using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace EdgeNode.BudgetGuard.Measurement;

/// <summary>
/// A child process a probe starts (hub, agent, libcoap peer): its output is kept (the last lines) for error
/// messages, and disposing it stops it (SIGTERM, then kill after a grace period) so no probe leaves a process behind.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string _name;

    private ManagedProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Name => _name;

    /// <summary>Starts <paramref name="fileName"/>; throws <see cref="FileNotFoundException"/> naming the program when it is missing.</summary>
    public static ManagedProcess Start(string name, string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: '{fileName}' did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"{name}: cannot start '{fileName}': {e.Message}", fileName, e);
        }

        var managed = new ManagedProcess(name, process);
        process.OutputDataReceived += (_, e) => managed.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>The last lines the process printed (stdout and stderr interleaved).</summary>
    public string Tail(int lines = 20) => string.Join('\n', _lines.TakeLast(lines));

    public bool Printed(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Polls <paramref name="condition"/> until it holds, the process exits, or the deadline passes.</summary>
    public async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < deadline)
        {
            if (await condition())
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    public Task<bool> WaitForOutputAsync(string text, TimeSpan deadline, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => Task.FromResult(Printed(text)), deadline, cancellationToken);

    public ProcStatus Memory() => ProcStatus.Read(_process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                Signal(_process.Id, 15);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
        }

        _process.Dispose();
    }

    public override string ToString() => $"{_name} (pid {_process.Id})";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > KeptLines && _lines.TryDequeue(out _))
        {
        }
    }

    private static void Signal(int pid, int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
        kill?.WaitForExit();
    }
}
