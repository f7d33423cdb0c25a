using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeNode.BudgetGuard.Measurement;

namespace EdgeNode.BudgetGuard.Probes;

/// <summary>
/// Resident memory of the native-AOT agent after an idle run: the hub (JIT build) on loopback with a spec of 5 apps
/// (busybox, from the local engine's edgenode/busybox:test) for one slot and a slot-scoped enrollment token; the
/// agent with <c>--simulate-hardware</c> enrolls over DTLS-PSK, is approved by the token, fetches its desired state
/// and starts the 5 containers on the local dockerd. Once all 5 run, the agent idles for <c>idleSeconds</c>
/// (heartbeats, supervisor resyncs); the figure is VmRSS at the end, from /proc/PID/status (RssAnon, RssFile, the peak
/// and the drift over the idle window are in the notes). Its containers are removed afterwards.
/// The agent supervises a scope of its own (docker.scope "edgenode-RUN"), so it neither touches nor is touched by
/// other agents on the same engine (a test run next to a soak). Parameter <c>samples</c>: a CSV file to write the
/// VmRSS/RssAnon samples to (seconds since the apps ran), for looking at a soak's curve, not only its slope.
/// </summary>
public sealed class AgentIdleRssProbe : IProbe
{
    private const string Image = "edgenode/busybox:test";
    private const string Fleet = "bench-fleet";

    private static readonly Dictionary<string, Task<ProbeResult>> Runs = [];

    public string Name => "agent-idle-rss";

    /// <summary>Parameter <c>figure</c>: rss (VmRSS at the end, default), drift-per-hour (least-squares slope of VmRSS
    /// sampled every 5 s, after the warm-up, scaled to one hour; a soak) or ready-ms (process start to READY=1 on
    /// NOTIFY_SOCKET). Entries with the same agent/hub/apps/idle parameters share one run.</summary>
    public async Task<ProbeResult> MeasureAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        string figure = context.Parameter("figure") ?? "rss";
        string key = string.Join('|', new[] { "agent", "hub", "apps", "idleSeconds" }.Select(context.Parameter));
        Task<ProbeResult> run;
        lock (Runs)
        {
            if (!Runs.TryGetValue(key, out run!))
            {
                Runs[key] = run = MeasureOnceAsync(context, cancellationToken);
            }
        }

        var result = await run;
        if (!result.IsMeasured)
        {
            return result;
        }

        // The shared run reports VmRSS in bytes, and the start-to-READY time ("ready MS ms") and the soak slope
        // ("slope B/H B/h: ...") in its notes; pick this entry's figure.
        string[] common = [.. result.Notes.Where(n => !n.StartsWith("ready ", StringComparison.Ordinal) && !n.StartsWith("slope ", StringComparison.Ordinal))];
        return figure switch
        {
            "rss" => ProbeResult.Measured(context.FromBytes(result.Value!.Value), common),
            "drift-per-hour" => TryNoteValue(result, "slope ", out double bytesPerHour, out string slope)
                ? ProbeResult.Measured(context.FromBytes(bytesPerHour), [slope[(slope.IndexOf(':') + 2)..], .. common])
                : ProbeResult.NotMeasured("the idle run was too short for a slope (needs 10 samples after the warm-up)"),
            "ready-ms" => TryNoteValue(result, "ready ", out double ms, out _)
                ? ProbeResult.Measured(ms, "process start to READY=1 on NOTIFY_SOCKET (state loaded, loops running; engine and hub not counted)")
                : ProbeResult.NotMeasured("the agent sent no READY=1 on NOTIFY_SOCKET"),
            _ => ProbeResult.NotMeasured($"parameter figure='{figure}' is not rss, drift-per-hour or ready-ms"),
        };
    }

    private async Task<ProbeResult> MeasureOnceAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        string agent = context.PathParameter("agent", "artifacts/agent/linux-x64/edgenode-agent");
        string hubAssembly = context.PathParameter("hub", "hub/bin/Release/net10.0/edgenode-hub.dll");
        int apps = context.IntParameter("apps", 5);
        int idleSeconds = context.IntParameter("idleSeconds", 60);
        if (!File.Exists(agent))
        {
            return ProbeResult.NotMeasured($"{Path.GetRelativePath(context.RepoRoot, agent)} does not exist (produced by scripts/publish-agent.sh)");
        }

        if (!File.Exists(hubAssembly))
        {
            return ProbeResult.NotMeasured($"{Path.GetRelativePath(context.RepoRoot, hubAssembly)} does not exist (dotnet build hub -c Release)");
        }

        if (await EngineProblemAsync(cancellationToken) is { } problem)
        {
            return ProbeResult.NotMeasured(problem);
        }

        string run = "bg" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        string work = context.PathParameter("directory", "artifacts/bench/agent-rss");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        try
        {
            return await RunAsync(context, agent, hubAssembly, apps, idleSeconds, run, work, context.Parameter("samples") is { } csv ? context.PathParameter("samples", csv) : null, cancellationToken);
        }
        finally
        {
            await RemoveContainersAsync(run, apps);
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<ProbeResult> RunAsync(ProbeContext context, string agentPath, string hubAssembly, int apps, int idleSeconds,
        string run, string work, string? samplesFile, CancellationToken cancellationToken)
    {
        // The spec: apps run-1..run-N in the base, one site "bench" with slot l1/c1.
        string spec = Path.Combine(work, "spec");
        Directory.CreateDirectory(Path.Combine(spec, "base"));
        Directory.CreateDirectory(Path.Combine(spec, "sites"));
        var yaml = new System.Text.StringBuilder("apps:\n");
        for (int i = 1; i <= apps; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  app-{i}:\n    image: {Image}\n    command: [\"sleep\", \"3600\"]\n    memory: 16Mi\n");
        }

        await File.WriteAllTextAsync(Path.Combine(spec, "base", "apps.yaml"), yaml.ToString(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(spec, "sites", "bench.yaml"), "slots:\n  l1/c1:\n", cancellationToken);

        byte[] fleetKey = RandomNumberGenerator.GetBytes(16);
        var (hub, reason) = await HubProcess.StartAsync(hubAssembly, Path.Combine(work, "hub-data"), spec, Fleet, fleetKey, plainCoap: false, [], cancellationToken);
        if (hub is null)
        {
            return ProbeResult.NotMeasured(reason!);
        }

        await using (hub)
        {
            string token = await hub.CreateEnrollmentTokenAsync("bench/l1/c1", 1, cancellationToken);
            string profile = Path.Combine(work, "profile.json");
            await File.WriteAllTextAsync(profile, """
                { "model": "bench-sim", "gpioChip": "gpiochip0",
                  "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 }, "status-amber": { "line": 2 } } }
                """, cancellationToken);
            string state = Path.Combine(work, "state");
            Directory.CreateDirectory(state);
            string config = Path.Combine(work, "agent.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["hardwareProfile"] = profile,
                ["model"] = "bench-sim",
                ["hardwareId"] = "bench-" + run,
                ["hub"] = new Dictionary<string, object> { ["addresses"] = new[] { "127.0.0.1" }, ["port"] = hub.CoapsPort, ["reconnectInitialSeconds"] = 0.5, ["reconnectMaxSeconds"] = 5 },
                ["enrollment"] = new Dictionary<string, object> { ["identity"] = Fleet, ["key"] = "hex:" + Convert.ToHexStringLower(fleetKey), ["token"] = token },
                ["heartbeatSeconds"] = 10,
                ["capacity"] = new Dictionary<string, object> { ["memoryMb"] = 1024, ["cpuMillis"] = 2000 },
                ["stateDirectory"] = state,
                ["docker"] = new Dictionary<string, object> { ["scope"] = Scope(run) },
                ["freezeFlagPath"] = Path.Combine(work, "freeze-loops"),
            }), cancellationToken);

            // Under /tmp: a unix socket path must stay below 108 bytes, whatever the checkout path.
            using var notify = new NotifySocket(Path.Combine(Path.GetTempPath(), $"edgenode-{run}.sock"));
            long startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var agent = ManagedProcess.Start("agent", agentPath, ["--config", config, "--state-dir", state, "--simulate-hardware"],
                new Dictionary<string, string> { ["EDGENODE_LOG_LEVEL"] = "Warning", ["NOTIFY_SOCKET"] = notify.Path });
            var started = System.Diagnostics.Stopwatch.StartNew();
            bool running = await agent.WaitUntilAsync(async () => await RunningAsync(run, cancellationToken) >= apps, TimeSpan.FromSeconds(120), cancellationToken);
            if (!running)
            {
                return ProbeResult.NotMeasured($"{await RunningAsync(run, cancellationToken)} of {apps} apps running after {started.Elapsed.TotalSeconds:0} s " +
                    $"(agent {(agent.HasExited ? $"exited {agent.ExitCode}" : "running")}): {Clip(agent.Tail(6))} | hub: {Clip(hub.Process.Tail(3))}");
            }

            double toRunning = started.Elapsed.TotalSeconds;
            var first = agent.Memory();
            var peakRss = first.VmRss;
            var idle = System.Diagnostics.Stopwatch.StartNew();
            var samples = new List<(double Seconds, long Rss)> { (0, first.VmRss) };
            using var csv = samplesFile is null ? null : new StreamWriter(samplesFile) { AutoFlush = true };
            csv?.WriteLine("seconds,vmrss_bytes,rssanon_bytes,rssfile_bytes");
            csv?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"0,{first.VmRss},{first.RssAnon},{first.RssFile}"));
            while (idle.Elapsed < TimeSpan.FromSeconds(idleSeconds))
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, Math.Max(0.1, idleSeconds - idle.Elapsed.TotalSeconds))), cancellationToken);
                if (agent.HasExited)
                {
                    return ProbeResult.NotMeasured($"the agent exited ({agent.ExitCode}) during the idle run: {agent.Tail(8)}");
                }

                var memory = agent.Memory();
                long rss = memory.VmRss;
                samples.Add((idle.Elapsed.TotalSeconds, rss));
                csv?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{idle.Elapsed.TotalSeconds:0},{rss},{memory.RssAnon},{memory.RssFile}"));
                peakRss = Math.Max(peakRss, rss);
            }

            var last = agent.Memory();
            int stillRunning = await RunningAsync(run, cancellationToken);
            if (stillRunning == -1)
            {
                return ProbeResult.NotMeasured($"docker ps did not answer at the end of the idle run (VmRSS then {last.VmRss / 1e6:0.0} MB)");
            }

            if (stillRunning < apps)
            {
                // The figure is defined with every app running; something stopped some (someone removing containers of
                // the run's scope, or ours failing them): no figure rather than a wrong one.
                string others = (await CommandLine.RunAsync("docker", ["ps", "-a", "--filter", $"label=io.edgenode.scope={Scope(run)}", "--format", "{{.Names}} {{.Status}}"], cancellationToken)).Output.Replace('\n', ';');
                return ProbeResult.NotMeasured($"only {stillRunning} of {apps} apps still ran at the end of the idle run (VmRSS then {last.VmRss / 1e6:0.0} MB); containers of scope {Scope(run)}: {Clip(others)}; agent: {Clip(agent.Tail(4))}");
            }

            string device = await DeviceStatusAsync(hub, cancellationToken);
            long ready = notify.ReadyTimestamp;
            return ProbeResult.Measured(last.VmRss,
                $"RssAnon {last.RssAnon / 1e6:0.0} MB, RssFile {last.RssFile / 1e6:0.0} MB, VmHWM {last.VmHwm / 1e6:0.0} MB",
                $"drift over {idleSeconds} s idle {(last.VmRss - first.VmRss) / 1e6:+0.0;-0.0;0.0} MB",
                $"{stillRunning}/{apps} apps running, hub sees the device {device}, start to {apps} apps running {toRunning:0.0} s",
                ready == 0 ? "no READY=1" : string.Create(CultureInfo.InvariantCulture, $"ready {System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp, ready).TotalMilliseconds:0.0} ms"),
                SlopeNote(samples, idleSeconds));
        }
    }

    /// <summary>The number after <paramref name="prefix"/> in the shared run's note that starts with it.</summary>
    private static bool TryNoteValue(ProbeResult result, string prefix, out double value, out string note)
    {
        note = result.Notes.FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal)) ?? "";
        value = 0;
        return note.Length > 0 && double.TryParse(note.Split(' ')[1], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// "slope BYTES_PER_HOUR ..." from the VmRSS samples after the warm-up (the first 10% of the run, at least 60 s:
    /// start-up allocations and the first gen0 collections), by least squares, or "slope none" when fewer than 10
    /// samples remain.
    /// </summary>
    internal static string SlopeNote(List<(double Seconds, long Rss)> samples, int idleSeconds)
    {
        double warmup = Math.Max(60, idleSeconds * 0.1);
        var window = samples.Where(s => s.Seconds >= warmup).ToList();
        if (window.Count < 10)
        {
            return "slope none";
        }

        double meanT = window.Average(s => s.Seconds), meanR = window.Average(s => (double)s.Rss);
        double covariance = window.Sum(s => (s.Seconds - meanT) * (s.Rss - meanR));
        double variance = window.Sum(s => (s.Seconds - meanT) * (s.Seconds - meanT));
        double perHour = covariance / variance * 3600;
        return string.Create(CultureInfo.InvariantCulture,
            $"slope {perHour:0} B/h: VmRSS least-squares over {window.Count} samples from {warmup:0} s to {window[^1].Seconds:0} s, {window.Min(s => s.Rss) / 1e6:0.00}..{window.Max(s => s.Rss) / 1e6:0.00} MB");
    }

    private static string Clip(string text) => text.Length <= 400 ? text : "…" + text[^400..];

    private static async Task<string> DeviceStatusAsync(HubProcess hub, CancellationToken cancellationToken)
    {
        try
        {
            using var devices = await hub.GetJsonAsync("/api/devices", cancellationToken);
            var list = devices.RootElement.ValueKind == JsonValueKind.Array ? devices.RootElement : devices.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
            return list.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("status", out var s) ? s.GetString() ?? "?" : "not listed";
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or JsonException)
        {
            return $"unknown ({e.Message})";
        }
    }

    private static async Task<string?> EngineProblemAsync(CancellationToken cancellationToken)
    {
        var version = await CommandLine.RunAsync("docker", ["version", "--format", "{{.Server.Version}}"], cancellationToken);
        if (version.ExitCode != 0)
        {
            return $"no Docker engine answers (scripts/start-dockerd.sh): {version.Output}";
        }

        var image = await CommandLine.RunAsync("docker", ["image", "inspect", "--format", "{{.Id}}", Image], cancellationToken);
        if (image.ExitCode != 0)
        {
            return $"image {Image} is not in the engine (scripts/start-dockerd.sh imports it)";
        }

        return null;
    }

    /// <summary>The run's own container scope: its containers are named <c>edgenode-RUN-app-N</c>.</summary>
    private static string Scope(string run) => "edgenode-" + run;

    /// <summary>How many of the run's containers are running; -1 when the docker CLI itself failed (a slow engine).</summary>
    private static async Task<int> RunningAsync(string run, CancellationToken cancellationToken)
    {
        var r = await CommandLine.RunAsync("docker", ["ps", "--filter", $"name=^{Scope(run)}-", "--filter", "status=running", "--format", "{{.Names}}"], cancellationToken, TimeSpan.FromSeconds(120));
        return r.ExitCode == 0 ? r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length : -1;
    }

    /// <summary>Removes the run's containers by their names (<c>edgenode-RUN-app-1..N</c>), retrying while the engine is slow.</summary>
    private static async Task RemoveContainersAsync(string run, int apps)
    {
        string[] names = [.. Enumerable.Range(1, apps).Select(i => $"{Scope(run)}-app-{i}")];
        for (int attempt = 0; attempt < 3; attempt++)
        {
            await CommandLine.RunAsync("docker", ["rm", "-f", .. names], CancellationToken.None, TimeSpan.FromSeconds(120));
            var left = await CommandLine.RunAsync("docker", ["ps", "-aq", "--filter", $"name=^{Scope(run)}-"], CancellationToken.None, TimeSpan.FromSeconds(120));
            if (left.ExitCode == 0 && left.Output.Length == 0)
            {
                return;
            }
        }
    }
}
