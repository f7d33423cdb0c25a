using System.Collections.Immutable;
using EdgeNode.Agent.Supervision.Commands;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>
/// The pure planner: (desired apps, our containers, capacity, runtime state, images, now) → <see cref="Plan"/>.
/// No I/O and no clock of its own, so it is tested over plain data.
/// </summary>
public static class Planner
{
    public static Plan Plan(PlannerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var commands = new List<ICommand>();
        var decisions = new List<AppDecision>(input.Desired.Count);
        var reasons = new SortedSet<string>(StringComparer.Ordinal);
        DateTimeOffset? wakeAt = null;

        var byApp = new Dictionary<string, List<ContainerInfo>>(StringComparer.Ordinal);
        foreach (var c in input.Current)
        {
            if (!byApp.TryGetValue(c.App, out var list)) byApp[c.App] = list = [];
            list.Add(c);
        }

        // Containers of apps no longer desired (or with no app label) go away first: that frees capacity.
        var desiredNames = new HashSet<string>(input.Desired.Select(d => d.Name), StringComparer.Ordinal);
        foreach (var (app, containers) in byApp.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (!desiredNames.Contains(app))
                foreach (var c in containers) Retire(commands, c, "no longer desired");

        var ordered = input.Desired.OrderBy(d => Rank(d.Spec.Priority)).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var failedCritical = ordered.FirstOrDefault(d => d.Spec.Priority == PriorityClass.Critical && StateOf(input, d).Failed);
        var memoryLeft = input.Capacity.MemoryBytes;
        var cpuLeft = input.Capacity.CpuMillis;

        foreach (var app in ordered)
        {
            var spec = app.Spec;
            var state = StateOf(input, app);
            var containers = byApp.GetValueOrDefault(app.Name) ?? [];

            // Keep one container with the current spec (a running one first); replace the rest (spec change = recreate).
            ContainerInfo? current = null;
            foreach (var c in containers)
                if (c.SpecHash == app.Hash && c.Status != ContainerStatus.Dead && (current is null || Better(c, current)))
                    current = c;
            foreach (var c in containers)
                if (!ReferenceEquals(c, current))
                    Retire(commands, c, c.SpecHash == app.Hash ? "duplicate or dead container" : "spec changed, recreating");

            if (state.Failed)
            {
                reasons.Add("app-failed:" + app.Name);
                StopIfRunning(commands, app, current, "crash loop");
                decisions.Add(Decide(app, current, AppPhase.Failed, $"crash loop: {state.Restarts} restarts, last exit code {state.LastExitCode}"));
                continue;
            }
            if (state.OperatorStopped)
            {
                StopIfRunning(commands, app, current, "stopped by operator");
                decisions.Add(Decide(app, current, AppPhase.Stopped, "stopped by operator"));
                continue;
            }
            var exitedOnItsOwn = current is { Status: ContainerStatus.Exited } && !state.ExpectedStop;
            if (exitedOnItsOwn && !RestartWanted(spec.Restart, current!))
            {
                decisions.Add(Decide(app, current, AppPhase.Stopped, $"exited with code {current!.ExitCode}; restart policy {spec.Restart}"));
                continue;
            }
            var imagePresent = input.Images.Contains(app.NormalizedImage);
            if (current is null && !imagePresent && state.ImageError is not null)
            {
                reasons.Add("image-missing:" + app.Name);
                commands.Add(new EnsureImageCommand(app.Name, spec.Image, spec.Pull, Present: false));
                decisions.Add(Decide(app, current, AppPhase.ImageMissing, state.ImageError));
                continue;
            }

            // Capacity: admitted in priority order while the budget lasts.
            var memory = MemoryNeed(spec);
            string? shedBecause = null;
            if (spec.Priority == PriorityClass.BestEffort && failedCritical is not null)
                shedBecause = $"critical app '{failedCritical.Name}' is failing";
            else if (memory > memoryLeft || spec.CpuMillis > cpuLeft)
                shedBecause = $"needs {memory} bytes and {spec.CpuMillis} millicores, {memoryLeft} bytes and {cpuLeft} millicores left";
            if (shedBecause is not null)
            {
                reasons.Add("capacity-short:" + app.Name);
                StopIfRunning(commands, app, current, "shed: " + shedBecause);
                decisions.Add(Decide(app, current, AppPhase.Shed, "shed: " + shedBecause));
                continue;
            }
            memoryLeft -= memory;
            cpuLeft -= spec.CpuMillis;

            if (current is null)
            {
                if (!imagePresent || spec.Pull == PullPolicy.Always)
                    commands.Add(new EnsureImageCommand(app.Name, spec.Image, spec.Pull, imagePresent));
                commands.Add(new CreateContainerCommand(input.Scope, app));
                commands.Add(new StartContainerCommand(app.Name, ManagedLabels.ContainerName(input.Scope, app.Name), AfterFailure: false));
                decisions.Add(Decide(app, current, AppPhase.Starting, "creating"));
                continue;
            }
            var failedRun = current.IsRunning ? current.Health == ContainerHealth.Unhealthy : exitedOnItsOwn;
            if (failedRun && state.NextRestartAt is { } at && at > input.Now)
            {
                wakeAt = wakeAt is { } w && w <= at ? w : at;
                decisions.Add(Decide(app, current, AppPhase.BackingOff, $"restart at {at:O} (backoff after {state.Failures.Length} failures)"));
                continue;
            }
            if (current.IsRunning && !failedRun)
            {
                decisions.Add(Decide(app, current, AppPhase.Running, current.Health == ContainerHealth.Healthy ? "running, healthy" : "running"));
                continue;
            }
            if (current.IsRunning) commands.Add(new StopContainerCommand(app.Name, current.Id, "unhealthy"));
            commands.Add(new StartContainerCommand(app.Name, current.Id, AfterFailure: failedRun));
            decisions.Add(Decide(app, current, AppPhase.Starting, failedRun ? "restarting after a failure" : "starting"));
        }

        return new Plan([.. commands], [.. decisions], [.. reasons], wakeAt);
    }

    /// <summary>Memory an app counts against the budget: its reservation, else its limit (0 = unbudgeted).</summary>
    public static ulong MemoryNeed(AppSpec spec) =>
        spec.MemoryReservationBytes > 0 ? spec.MemoryReservationBytes : spec.MemoryLimitBytes;

    /// <summary>Critical first, then normal, then best-effort.</summary>
    public static int Rank(PriorityClass priority) => priority switch
    {
        PriorityClass.Critical => 0,
        PriorityClass.Normal => 1,
        _ => 2,
    };

    /// <summary>The spec's restart policy applied to an exit the supervisor did not cause.</summary>
    public static bool RestartWanted(RestartPolicy policy, ContainerInfo exited) => policy switch
    {
        RestartPolicy.No => false,
        RestartPolicy.OnFailure => exited.ExitCode != 0 || exited.OomKilled,
        _ => true, // Always, UnlessStopped (operator stops are handled before)
    };

    private static AppDecision Decide(DesiredApp app, ContainerInfo? current, AppPhase phase, string detail) =>
        new(app.Name, app.Spec.Priority, phase, current?.Id, detail);

    private static void StopIfRunning(List<ICommand> commands, DesiredApp app, ContainerInfo? current, string why)
    {
        if (current is { IsRunning: true }) commands.Add(new StopContainerCommand(app.Name, current.Id, why));
    }

    // Running beats not running; then the lower id, so the choice is stable.
    private static bool Better(ContainerInfo candidate, ContainerInfo best) =>
        candidate.IsRunning != best.IsRunning ? candidate.IsRunning : string.CompareOrdinal(candidate.Id, best.Id) < 0;

    private static AppRuntimeState StateOf(PlannerInput input, DesiredApp app) =>
        input.Runtime.TryGetValue(app.Name, out var s) && s.SpecHash == app.Hash ? s : AppRuntimeState.Fresh(app.Hash);

    private static void Retire(List<ICommand> commands, ContainerInfo c, string why)
    {
        if (c.IsRunning) commands.Add(new StopContainerCommand(c.App, c.Id, why));
        commands.Add(new RemoveContainerCommand(c.App, c.Id, why));
    }
}
