using System.Device.Gpio;
using System.Diagnostics;
using EdgeNode.Hal.Gpio;
using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Power;
using EdgeNode.Hal.Profile;
using EdgeNode.Hal.Storage;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Time from the power-fail edge to "flushed and writes stopped", wired the way the agent wires it: a
/// <see cref="PowerFailMonitor"/> on an active-low power-good line of the simulated GPIO chip trips a
/// <see cref="PowerFailGuard"/> whose actions flush the journal (holding <c>records</c> unflushed records),
/// save the durable state and show the power-fail LED pattern. The journal and the state live on the real disk
/// (under artifacts/bench), so the fsyncs are real. Repeated <c>trials</c> times with fresh files; the figure is
/// the slowest trial (the hold-up capacitors must cover the worst case), the median is in the notes.
/// </summary>
public sealed class PowerFailProbe : IProbe
{
    private const int PowerGoodLine = 5;

    public string Name => "power-fail-flush";

    public Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        int trials = context.IntParameter("trials", 15);
        int records = context.IntParameter("records", 100);
        string root = context.PathParameter("directory", "artifacts/bench/power-fail");
        var times = new List<double>();
        try
        {
            // Trial -1 warms the JIT up and is not counted: the agent is AOT-compiled, it pays no JIT on the edge.
            for (int t = -1; t < trials; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string dir = Path.Combine(root, $"trial-{t}");
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }

                Directory.CreateDirectory(dir);
                var (elapsed, problem) = Trial(dir, records);
                if (problem is not null)
                {
                    return Task.FromResult(ProbeResult.NotMeasured($"trial {t}: {problem}"));
                }

                if (t >= 0)
                {
                    times.Add(elapsed);
                }
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        times.Sort();
        double median = times[times.Count / 2];
        return Task.FromResult(ProbeResult.Measured(times[^1],
            $"median {median:0.0} ms, fastest {times[0]:0.0} ms over {trials} trials, {records} unflushed 256 B records + 4 KB state each"));
    }

    private static (double Milliseconds, string? Problem) Trial(string dir, int records)
    {
        var guard = new PowerFailGuard();
        var driver = new SimulatedGpioDriver(TimeProvider.System);
        driver.SetInput(PowerGoodLine, PinValue.High);
        using var gpio = GpioAccess.OpenSimulated(driver);
        using var leds = new StatusLeds(gpio, new Dictionary<string, GpioLine>
        {
            ["status-green"] = new() { Line = 0 },
            ["status-red"] = new() { Line = 1 },
        }, TimeProvider.System);
        using var journal = Journal.Open(Path.Combine(dir, "journal"), new JournalOptions { CommitInterval = TimeSpan.FromSeconds(30) }, TimeProvider.System, guard);
        Directory.CreateDirectory(Path.Combine(dir, "state"));
        var store = DurableStore.Open(Path.Combine(dir, "state"), "desired", guard);
        byte[] state = new byte[4096];
        Random.Shared.NextBytes(state);

        guard.OnPowerFail("journal", () => journal.Flush());
        guard.OnPowerFail("state", () => store.Save(state));
        guard.OnPowerFail("leds", () => leds.SetSignal(StatusSignal.PowerFail));
        using var monitor = new PowerFailMonitor(gpio, new GpioLine { Line = PowerGoodLine, ActiveLow = true }, guard);

        byte[] record = new byte[256];
        for (int i = 0; i < records; i++)
        {
            journal.Append(record);
        }

        if (journal.DurableSequence == journal.LastSequence)
        {
            return (0, "the journal flushed before the edge (group commit fired): nothing left to measure");
        }

        long start = Stopwatch.GetTimestamp();
        driver.SetInput(PowerGoodLine, PinValue.Low);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        if (!guard.WritesStopped)
        {
            return (0, "the edge did not stop writes");
        }

        if (guard.LastReport!.Steps.FirstOrDefault(s => s.Error is not null) is { } failed)
        {
            return (0, $"power-fail action '{failed.Name}' failed: {failed.Error}");
        }

        if (journal.DurableSequence != journal.LastSequence)
        {
            return (0, $"journal durable at {journal.DurableSequence}, last {journal.LastSequence}: not flushed");
        }

        return (ms, null);
    }
}
