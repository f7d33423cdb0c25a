using System.Collections.Immutable;
using System.Text;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>The planner's immutable answer: ordered commands, a decision per desired app, degraded reasons, next wake-up.</summary>
public sealed class Plan
{
    public Plan(ImmutableArray<ICommand> commands, ImmutableArray<AppDecision> apps, ImmutableArray<string> degradedReasons, DateTimeOffset? wakeAt)
    {
        Commands = commands;
        Apps = apps;
        DegradedReasons = degradedReasons;
        WakeAt = wakeAt;
    }

    public ImmutableArray<ICommand> Commands { get; }

    /// <summary>One decision per desired app, in priority order (critical, normal, best-effort; then by name).</summary>
    public ImmutableArray<AppDecision> Apps { get; }

    /// <summary>Machine-readable, sorted: <c>capacity-short:&lt;app&gt;</c>, <c>app-failed:&lt;app&gt;</c>, <c>image-missing:&lt;app&gt;</c>.</summary>
    public ImmutableArray<string> DegradedReasons { get; }

    /// <summary>Earliest backoff deadline: the supervisor re-plans then, even without an engine event.</summary>
    public DateTimeOffset? WakeAt { get; }

    public bool IsEmpty => Commands.IsEmpty;

    public string Show()
    {
        if (Commands.IsEmpty) return "(nothing to do)";
        var b = new StringBuilder();
        foreach (var c in Commands) b.Append(c.Show()).Append('\n');
        return b.ToString(0, b.Length - 1);
    }
}
