using System.Collections.Immutable;
using EdgeNode.Agent.Supervision.Commands;
using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Link.Contracts;
using RestartPolicy = EdgeNode.Link.Contracts.RestartPolicy;

namespace EdgeNode.Supervisor.Tests.Planning;

/// <summary>The pure planner over plain data: every branch, no Docker.</summary>
public sealed class PlannerTests
{
    private const string Scope = "edge";
    private const string Image = "acme/app:1";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const ulong Mb = 1 << 20;

    private static DesiredApp App(string name, PriorityClass priority = PriorityClass.Normal, ulong memory = 0, uint cpu = 0,
        RestartPolicy restart = RestartPolicy.Always, PullPolicy pull = PullPolicy.IfNotPresent, string image = Image, ulong reservation = 0)
        => DesiredApp.From(new AppSpec
        {
            Name = name, Image = image, Priority = priority, MemoryLimitBytes = memory, MemoryReservationBytes = reservation,
            CpuMillis = cpu, Restart = restart, Pull = pull,
        });

    private static ContainerInfo Container(DesiredApp app, ContainerStatus status = ContainerStatus.Running, string? id = null, int exit = 0,
        bool oom = false, ContainerHealth health = ContainerHealth.None, string? hash = null) =>
        new(id ?? "id-" + app.Name, Scope + "-" + app.Name, app.Name, hash ?? app.Hash, status, exit, oom, health, Now.AddMinutes(-5),
            status == ContainerStatus.Exited ? Now.AddSeconds(-1) : null);

    private static Plan Plan(IEnumerable<DesiredApp> desired, IEnumerable<ContainerInfo>? current = null, NodeCapacity? capacity = null,
        IEnumerable<AppRuntimeState>? runtime = null, IEnumerable<DesiredApp>? runtimeApps = null, bool imagePresent = true)
    {
        var desiredList = desired.ToList();
        var states = new Dictionary<string, AppRuntimeState>();
        if (runtime is not null)
        {
            var apps = (runtimeApps ?? desiredList).ToList();
            foreach (var s in runtime) states[apps.First(a => a.Hash == s.SpecHash).Name] = s;
        }
        var images = imagePresent ? new HashSet<string> { Image } : new HashSet<string>();
        return Planner.Plan(new PlannerInput(Scope, desiredList, (current ?? []).ToList(), capacity ?? NodeCapacity.Unlimited, states, images, Now));
    }

    private static string[] Ids(Plan plan) => plan.Commands.Select(c => c.Id).ToArray();

    private static AppDecision Decision(Plan plan, string app) => plan.Apps.Single(a => a.App == app);

    [Fact]
    public void Plan_NothingDesiredNothingRunning_IsEmpty()
    {
        var plan = Plan([]);
        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Apps);
        Assert.Empty(plan.DegradedReasons.ToArray());
        Assert.Null(plan.WakeAt);
        Assert.Equal("(nothing to do)", plan.Show());
    }

    [Fact]
    public void Plan_NewAppImagePresent_CreatesAndStarts()
    {
        var a = App("a");
        var plan = Plan([a]);
        Assert.Equal([$"create:a:{a.Hash[..12]}", "start:a:edge-a"], Ids(plan));
        Assert.Equal(AppPhase.Starting, Decision(plan, "a").Phase);
        var create = Assert.IsType<CreateContainerCommand>(plan.Commands[0]);
        Assert.Same(a, create.Desired);
        Assert.False(Assert.IsType<StartContainerCommand>(plan.Commands[1]).AfterFailure);
    }

    [Fact]
    public void Plan_NewAppImageAbsent_EnsuresImageFirst()
    {
        var plan = Plan([App("a")], imagePresent: false);
        Assert.Equal(["image:a:acme/app:1", "create:a:" + App("a").Hash[..12], "start:a:edge-a"], Ids(plan));
        Assert.False(Assert.IsType<EnsureImageCommand>(plan.Commands[0]).Present);
    }

    [Fact]
    public void Plan_NewAppPullAlways_EnsuresImageEvenWhenPresent()
    {
        var plan = Plan([App("a", pull: PullPolicy.Always)]);
        var ensure = Assert.IsType<EnsureImageCommand>(plan.Commands[0]);
        Assert.True(ensure.Present);
        Assert.Equal(PullPolicy.Always, ensure.Pull);
        Assert.Equal(3, plan.Commands.Length);
    }

    [Fact]
    public void Plan_ImageReferenceNormalized_DockerHubFormsMatch()
    {
        var a = App("a", image: "docker.io/library/busybox");
        var plan = Planner.Plan(new PlannerInput(Scope, [a], [], NodeCapacity.Unlimited, new Dictionary<string, AppRuntimeState>(),
            new HashSet<string> { "busybox:latest" }, Now));
        Assert.DoesNotContain(plan.Commands, c => c is EnsureImageCommand);
    }

    [Fact]
    public void Plan_RunningWithSameSpec_AdoptsWithoutCommands()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a)]);
        Assert.True(plan.IsEmpty);
        Assert.Equal(AppPhase.Running, Decision(plan, "a").Phase);
        Assert.Equal("id-a", Decision(plan, "a").ContainerId);
    }

    [Fact]
    public void Plan_RunningHealthy_RunningAndSaysHealthy()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, health: ContainerHealth.Healthy)]);
        Assert.True(plan.IsEmpty);
        Assert.Equal("running, healthy", Decision(plan, "a").Detail);
    }

    [Theory]
    [InlineData(ContainerStatus.Paused)]     // paused by someone: left alone
    [InlineData(ContainerStatus.Restarting)] // counted as running
    public void Plan_PausedOrRestarting_LeftAlone(ContainerStatus status)
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, status)]);
        Assert.True(plan.IsEmpty);
        Assert.Equal(AppPhase.Running, Decision(plan, "a").Phase);
    }

    [Fact]
    public void Plan_SpecChanged_StopsRemovesAndRecreatesOnlyThatApp()
    {
        var a = App("a");
        var b = App("b", memory: 64 * Mb);
        var plan = Plan([a, b], [Container(a), Container(b, hash: "old-hash")]);
        Assert.Equal(["stop:id-b", "remove:id-b", $"create:b:{b.Hash[..12]}", "start:b:edge-b"], Ids(plan));
        Assert.Equal(AppPhase.Running, Decision(plan, "a").Phase);
        Assert.Equal(AppPhase.Starting, Decision(plan, "b").Phase);
    }

    [Fact]
    public void Plan_SpecChangedWhileExited_RemovesWithoutStop()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, ContainerStatus.Exited, hash: "old")]);
        Assert.Equal(["remove:id-a", $"create:a:{a.Hash[..12]}", "start:a:edge-a"], Ids(plan));
    }

    [Fact]
    public void Plan_AppNoLongerDesired_StopsAndRemoves()
    {
        var a = App("a");
        var gone = App("gone");
        var plan = Plan([a], [Container(a), Container(gone), Container(App("exited"), ContainerStatus.Exited)]);
        Assert.Equal(["remove:id-exited", "stop:id-gone", "remove:id-gone"], Ids(plan));
        Assert.Single(plan.Apps);
    }

    [Fact]
    public void Plan_ContainerWithoutAppLabel_Removed()
    {
        var plan = Plan([], [new ContainerInfo("x", "edge-x", "", "", ContainerStatus.Exited, 0, false, ContainerHealth.None, null, null)]);
        Assert.Equal(["remove:x"], Ids(plan));
    }

    [Fact]
    public void Plan_DuplicateContainers_KeepsTheRunningOne()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, ContainerStatus.Exited, id: "aaa-old"), Container(a, id: "zzz-live")]);
        Assert.Equal(["remove:aaa-old"], Ids(plan));
        Assert.Equal("zzz-live", Decision(plan, "a").ContainerId);
    }

    [Fact]
    public void Plan_DeadContainer_RemovedAndRecreated()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, ContainerStatus.Dead)]);
        Assert.Equal(["remove:id-a", $"create:a:{a.Hash[..12]}", "start:a:edge-a"], Ids(plan));
    }

    [Fact]
    public void Plan_CreatedNeverStarted_Starts()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, ContainerStatus.Created)]);
        var start = Assert.IsType<StartContainerCommand>(Assert.Single(plan.Commands));
        Assert.Equal("id-a", start.Container);
        Assert.False(start.AfterFailure);
    }

    [Fact]
    public void Plan_CrashedNoBackoffPending_RestartsAtOnce()
    {
        var a = App("a");
        var state = AppRuntimeState.Fresh(a.Hash) with { Failures = [Now], NextRestartAt = Now };
        var plan = Plan([a], [Container(a, ContainerStatus.Exited, exit: 1)], runtime: [state]);
        Assert.True(Assert.IsType<StartContainerCommand>(Assert.Single(plan.Commands)).AfterFailure);
        Assert.Equal(AppPhase.Starting, Decision(plan, "a").Phase);
    }

    [Fact]
    public void Plan_CrashedBackoffPending_BackingOffAndWakesAtEarliestDeadline()
    {
        var a = App("a");
        var b = App("b");
        var plan = Plan([a, b], [Container(a, ContainerStatus.Exited, exit: 1), Container(b, ContainerStatus.Exited, exit: 2)], runtime:
        [
            AppRuntimeState.Fresh(a.Hash) with { Failures = [Now, Now], NextRestartAt = Now.AddSeconds(4) },
            AppRuntimeState.Fresh(b.Hash) with { Failures = [Now, Now], NextRestartAt = Now.AddSeconds(2) },
        ]);
        Assert.True(plan.IsEmpty);
        Assert.Equal(AppPhase.BackingOff, Decision(plan, "a").Phase);
        Assert.Equal(AppPhase.BackingOff, Decision(plan, "b").Phase);
        Assert.Equal(Now.AddSeconds(2), plan.WakeAt);
        Assert.Empty(plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_UnhealthyBackoffExpired_StopsAndRestarts()
    {
        var a = App("a");
        var state = AppRuntimeState.Fresh(a.Hash) with { Failures = [Now], NextRestartAt = Now };
        var plan = Plan([a], [Container(a, health: ContainerHealth.Unhealthy)], runtime: [state]);
        Assert.Equal(["stop:id-a", "start:a:id-a"], Ids(plan));
        Assert.True(((StartContainerCommand)plan.Commands[1]).AfterFailure);
    }

    [Fact]
    public void Plan_UnhealthyBackoffPending_KeepsRunningUntilDeadline()
    {
        var a = App("a");
        var state = AppRuntimeState.Fresh(a.Hash) with { Failures = [Now, Now], NextRestartAt = Now.AddSeconds(1) };
        var plan = Plan([a], [Container(a, health: ContainerHealth.Unhealthy)], runtime: [state]);
        Assert.True(plan.IsEmpty);
        Assert.Equal(AppPhase.BackingOff, Decision(plan, "a").Phase);
        Assert.Equal(Now.AddSeconds(1), plan.WakeAt);
    }

    [Fact]
    public void Plan_Failed_ReportsReasonAndStopsRunningContainer()
    {
        var a = App("a");
        var state = AppRuntimeState.Fresh(a.Hash) with { Failed = true, Restarts = 5, LastExitCode = 3 };
        var plan = Plan([a], [Container(a, health: ContainerHealth.Unhealthy)], runtime: [state]);
        Assert.Equal(["stop:id-a"], Ids(plan));
        Assert.Equal(AppPhase.Failed, Decision(plan, "a").Phase);
        Assert.Contains("last exit code 3", Decision(plan, "a").Detail);
        Assert.Equal(["app-failed:a"], plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_FailedExited_NoCommands()
    {
        var a = App("a");
        var plan = Plan([a], [Container(a, ContainerStatus.Exited, exit: 3)], runtime: [AppRuntimeState.Fresh(a.Hash) with { Failed = true }]);
        Assert.True(plan.IsEmpty);
        Assert.Equal(AppPhase.Failed, Decision(plan, "a").Phase);
    }

    [Fact]
    public void Plan_RuntimeStateOfAnOlderSpec_Ignored()
    {
        var a = App("a");
        var old = App("a", memory: 99 * Mb);
        var plan = Plan([a], [Container(a)], runtime: [AppRuntimeState.Fresh(old.Hash) with { Failed = true }], runtimeApps: [old]);
        Assert.Equal(AppPhase.Running, Decision(plan, "a").Phase);
        Assert.Empty(plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_OperatorStopped_StopsAndStaysStopped()
    {
        var a = App("a");
        var stopped = AppRuntimeState.Fresh(a.Hash) with { OperatorStopped = true };
        var running = Plan([a], [Container(a)], runtime: [stopped]);
        Assert.Equal(["stop:id-a"], Ids(running));
        var exited = Plan([a], [Container(a, ContainerStatus.Exited)], runtime: [stopped]);
        Assert.True(exited.IsEmpty);
        Assert.Equal(AppPhase.Stopped, Decision(exited, "a").Phase);
        Assert.Empty(exited.DegradedReasons.ToArray());
    }

    public static TheoryData<RestartPolicy, int, bool, bool> RestartPolicyCases => new()
    {
        { RestartPolicy.No, 0, false, false },           // never restarts
        { RestartPolicy.No, 1, false, false },           // not even after a failure
        { RestartPolicy.OnFailure, 0, false, false },    // a clean exit is final
        { RestartPolicy.OnFailure, 1, false, true },     // a failing exit restarts
        { RestartPolicy.OnFailure, 0, true, true },      // an OOM kill is a failure even with exit 0
        { RestartPolicy.Always, 0, false, true },        // always restarts
        { RestartPolicy.UnlessStopped, 0, false, true }, // restarts unless an operator stopped it
    };

    [Theory]
    [MemberData(nameof(RestartPolicyCases))]
    public void Plan_ExitedOnItsOwn_FollowsRestartPolicy(RestartPolicy policy, int exitCode, bool oom, bool restarts)
    {
        var a = App("a", restart: policy);
        var plan = Plan([a], [Container(a, ContainerStatus.Exited, exit: exitCode, oom: oom)]);
        Assert.Equal(restarts, !plan.IsEmpty);
        Assert.Equal(restarts ? AppPhase.Starting : AppPhase.Stopped, Decision(plan, "a").Phase);
    }

    [Fact]
    public void Plan_ExitedBecauseWeStoppedIt_StartsEvenWithPolicyNo()
    {
        var a = App("a", restart: RestartPolicy.No);
        var plan = Plan([a], [Container(a, ContainerStatus.Exited)], runtime: [AppRuntimeState.Fresh(a.Hash) with { ExpectedStop = true }]);
        Assert.False(Assert.IsType<StartContainerCommand>(Assert.Single(plan.Commands)).AfterFailure);
    }

    [Fact]
    public void Plan_ImageMissing_ReportsAndRetriesOnlyTheImage()
    {
        var a = App("a");
        var plan = Plan([a], runtime: [AppRuntimeState.Fresh(a.Hash) with { ImageError = "not in cache" }], imagePresent: false);
        Assert.Equal(["image:a:acme/app:1"], Ids(plan));
        Assert.Equal(AppPhase.ImageMissing, Decision(plan, "a").Phase);
        Assert.Equal("not in cache", Decision(plan, "a").Detail);
        Assert.Equal(["image-missing:a"], plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_ImageErrorButImageNowPresent_CreatesNormally()
    {
        var a = App("a");
        var plan = Plan([a], runtime: [AppRuntimeState.Fresh(a.Hash) with { ImageError = "was missing" }]);
        Assert.Equal(AppPhase.Starting, Decision(plan, "a").Phase);
        Assert.Empty(plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_ImageMissingApp_DoesNotCountAgainstCapacity()
    {
        var big = App("big", PriorityClass.Critical, memory: 100 * Mb);
        var small = App("small", PriorityClass.BestEffort, memory: 100 * Mb);
        var plan = Plan([big, small], capacity: new NodeCapacity(100 * Mb, 1000),
            runtime: [AppRuntimeState.Fresh(big.Hash) with { ImageError = "missing" }], imagePresent: false);
        Assert.Equal(AppPhase.ImageMissing, Decision(plan, "big").Phase);
        Assert.Equal(AppPhase.Starting, Decision(plan, "small").Phase);
    }

    [Fact]
    public void Plan_CapacityShort_AdmitsByPriorityAndShedsTheRest()
    {
        var crit = App("crit", PriorityClass.Critical, memory: 40 * Mb);
        var norm = App("norm", PriorityClass.Normal, memory: 40 * Mb);
        var be = App("be", PriorityClass.BestEffort, memory: 40 * Mb);
        var tiny = App("tiny", PriorityClass.BestEffort, memory: 10 * Mb);
        var plan = Plan([be, tiny, norm, crit], [Container(crit), Container(norm), Container(be), Container(tiny)], new NodeCapacity(95 * Mb, 4000));
        Assert.Equal(["crit", "norm", "be", "tiny"], plan.Apps.Select(a => a.App));
        Assert.Equal(["stop:id-be"], Ids(plan));
        Assert.Equal(AppPhase.Shed, Decision(plan, "be").Phase);
        Assert.Equal(AppPhase.Running, Decision(plan, "tiny").Phase); // fits in what is left
        Assert.Equal(["capacity-short:be"], plan.DegradedReasons.ToArray());
        Assert.Contains("left", Decision(plan, "be").Detail);
    }

    [Fact]
    public void Plan_CpuShort_Sheds()
    {
        var a = App("a", PriorityClass.Critical, cpu: 1500);
        var b = App("b", cpu: 1000);
        var plan = Plan([a, b], capacity: new NodeCapacity(ulong.MaxValue, 2000));
        Assert.Equal(AppPhase.Starting, Decision(plan, "a").Phase);
        Assert.Equal(AppPhase.Shed, Decision(plan, "b").Phase);
        Assert.Equal(["capacity-short:b"], plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_ShedAppWithoutContainer_CreatesNothing()
    {
        var a = App("a", memory: 10 * Mb);
        var plan = Plan([a], capacity: new NodeCapacity(5 * Mb, 1000));
        Assert.True(plan.IsEmpty);
        Assert.Equal(AppPhase.Shed, Decision(plan, "a").Phase);
    }

    [Fact]
    public void Plan_CriticalAppFailing_ShedsBestEffortOnly()
    {
        var crit = App("crit", PriorityClass.Critical);
        var norm = App("norm");
        var be = App("be", PriorityClass.BestEffort);
        var plan = Plan([crit, norm, be], [Container(crit, ContainerStatus.Exited, exit: 1), Container(norm), Container(be)],
            runtime: [AppRuntimeState.Fresh(crit.Hash) with { Failed = true }]);
        Assert.Equal(["stop:id-be"], Ids(plan));
        Assert.Equal(AppPhase.Running, Decision(plan, "norm").Phase);
        Assert.Contains("critical app 'crit' is failing", Decision(plan, "be").Detail);
        Assert.Equal(["app-failed:crit", "capacity-short:be"], plan.DegradedReasons.ToArray());
    }

    [Fact]
    public void Plan_Show_OneLinePerCommand()
    {
        var plan = Plan([App("a")], [Container(App("gone"))]);
        var lines = plan.Show().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Contains("stop container id-gone of app 'gone' (no longer desired)", lines[0]);
        Assert.Contains("create container edge-a from image 'acme/app:1'", lines[2]);
    }

    [Theory]
    [InlineData(0UL, 0UL, 0UL)]        // unbudgeted
    [InlineData(64UL, 0UL, 64UL)]      // limit only
    [InlineData(64UL, 16UL, 16UL)]     // the reservation wins
    public void MemoryNeed_ReservationElseLimit(ulong limit, ulong reservation, ulong expected)
    {
        Assert.Equal(expected, Planner.MemoryNeed(new AppSpec { MemoryLimitBytes = limit, MemoryReservationBytes = reservation }));
    }

    [Fact]
    public void Plan_Commands_AreImmutableSnapshots()
    {
        var a = App("a");
        var plan = Plan([a]);
        Assert.IsType<ImmutableArray<ICommand>>(plan.Commands);
        Assert.Equal(plan.Commands.ToArray(), Plan([a]).Commands.ToArray()); // pure: the same input gives an equal plan
    }
}
