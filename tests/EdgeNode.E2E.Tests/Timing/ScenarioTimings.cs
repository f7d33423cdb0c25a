using System.Globalization;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests.Timing;

/// <summary>
/// Collects a scenario's measured timings (boot to READY, boot to apps running, time to watchdog reset ...),
/// writes them to the test output and appends them to artifacts/e2e/timings.txt for the CI summary.
/// </summary>
public sealed class ScenarioTimings(string scenario, ITestOutputHelper output, string artifactsDirectory)
{
    private static readonly object FileGate = new();
    private static bool _fileStarted;
    private readonly List<string> _lines = [];

    public void Record(string metric, TimeSpan value) => Record(metric, value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");

    public void Record(string metric, string value)
    {
        var line = $"{scenario}: {metric} = {value}";
        _lines.Add(line);
        output.WriteLine("TIMING " + line);
        Directory.CreateDirectory(artifactsDirectory);
        var path = Path.Combine(artifactsDirectory, "timings.txt");
        lock (FileGate)
        {
            if (!_fileStarted)
            {
                File.WriteAllText(path, ""); // one file per test run
                _fileStarted = true;
            }

            File.AppendAllText(path, $"{DateTime.UtcNow:O} {line}\n");
        }
    }

    public void Note(string message) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {scenario}: {message}");
}
