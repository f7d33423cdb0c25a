using EdgeNode.Agent.Supervision.Engine;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>
/// Runs a plan. The commands of one app run in plan order; different apps run side by side (at most
/// <see cref="MaxParallelApps"/>), so a slow create or pull of one app does not delay the restart of another.
/// A failed command is retried in later plans when its stable <see cref="ICommand.Id"/> comes up again, after an
/// exponential backoff (base, doubling, cap) measured with the injected <see cref="TimeProvider"/>. A failure or a
/// deferral skips the same app's later steps; <see cref="EngineUnavailableException"/> aborts the plan.
/// </summary>
public sealed class PlanRunner
{
    public const int MaxParallelApps = 4;

    private readonly TimeProvider _time;
    private readonly TimeSpan _base;
    private readonly TimeSpan _cap;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Failures, DateTimeOffset NotBefore, string App)> _retries = new(StringComparer.Ordinal);

    public PlanRunner(TimeProvider time, TimeSpan retryBase, TimeSpan retryCap, ILogger logger)
    {
        _time = time;
        _base = retryBase;
        _cap = retryCap;
        _logger = logger;
    }

    /// <summary>Earliest moment a failed command of the last plan may run again.</summary>
    public DateTimeOffset? NextRetryAt { get; private set; }

    /// <summary>Runs <paramref name="plan"/>; outcomes come back in plan order.</summary>
    public async Task<IReadOnlyList<CommandOutcome>> RunAsync(Plan plan, CommandContext context, CancellationToken cancellationToken)
    {
        var outcomes = new CommandOutcome?[plan.Commands.Length];
        var groups = plan.Commands.Select((c, i) => (Command: c, Index: i)).GroupBy(x => x.Command.App, StringComparer.Ordinal).ToList();
        if (groups.Count <= 1)
        {
            foreach (var g in groups) await RunGroupAsync(g.ToList(), outcomes, context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var slots = new SemaphoreSlim(MaxParallelApps);
            await Task.WhenAll(groups.Select(async g =>
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try { await RunGroupAsync(g.ToList(), outcomes, context, cancellationToken).ConfigureAwait(false); }
                finally { slots.Release(); }
            })).ConfigureAwait(false);
        }

        lock (_gate)
        {
            // Forget retry state of commands that are no longer planned.
            var planned = new HashSet<string>(plan.Commands.Select(c => c.Id), StringComparer.Ordinal);
            foreach (var id in _retries.Keys.Where(k => !planned.Contains(k)).ToList()) _retries.Remove(id);
            // Only deadlines still ahead: a command skipped behind a failing step keeps an expired entry.
            var now = _time.GetUtcNow();
            NextRetryAt = null;
            foreach (var r in _retries.Values)
                if (r.NotBefore > now && (NextRetryAt is null || r.NotBefore < NextRetryAt)) NextRetryAt = r.NotBefore;
        }
        return outcomes.Select(o => o!).ToList();
    }

    private async Task RunGroupAsync(List<(ICommand Command, int Index)> group, CommandOutcome?[] outcomes, CommandContext context, CancellationToken cancellationToken)
    {
        var blocked = false;
        foreach (var (command, index) in group)
        {
            if (blocked)
            {
                outcomes[index] = new CommandOutcome(command, CommandOutcomeKind.Skipped);
                continue;
            }
            (int Failures, DateTimeOffset NotBefore, string App) retry;
            lock (_gate) _retries.TryGetValue(command.Id, out retry);
            if (retry.NotBefore > _time.GetUtcNow())
            {
                blocked = true;
                outcomes[index] = new CommandOutcome(command, CommandOutcomeKind.Deferred);
                continue;
            }
            try
            {
                SupervisorLog.CommandRunning(_logger, command.Show());
                await command.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
                lock (_gate) _retries.Remove(command.Id);
                outcomes[index] = new CommandOutcome(command, CommandOutcomeKind.Succeeded);
            }
            catch (EngineUnavailableException)
            {
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failures = retry.Failures + 1;
                var delay = Backoff(failures);
                lock (_gate) _retries[command.Id] = (failures, _time.GetUtcNow() + delay, command.App);
                blocked = true;
                SupervisorLog.CommandFailed(_logger, command.Show(), failures, delay, e.Message);
                outcomes[index] = new CommandOutcome(command, CommandOutcomeKind.Failed, e);
            }
        }
    }

    /// <summary>Drops the retry backoff of every command of <paramref name="app"/> (an operator asked to try now).</summary>
    public void Forget(string app)
    {
        lock (_gate)
            foreach (var id in _retries.Where(r => r.Value.App == app).Select(r => r.Key).ToList())
                _retries.Remove(id);
    }

    /// <summary>Delay before retry number <paramref name="failures"/>: base·2^(failures−1), capped.</summary>
    public TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ticks = Math.Min(_base.Ticks * factor, _cap.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
