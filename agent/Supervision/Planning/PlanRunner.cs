using EdgeNode.Agent.Supervision.Engine;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>
/// Runs a plan in order. A failed command is retried in later plans when its stable <see cref="ICommand.Id"/> comes up
/// again, after an exponential backoff (base, doubling, cap) measured with the injected <see cref="TimeProvider"/>.
/// A failure or deferral skips the same app's later steps; <see cref="EngineUnavailableException"/> aborts the plan.
/// </summary>
public sealed class PlanRunner
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _base;
    private readonly TimeSpan _cap;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (int Failures, DateTimeOffset NotBefore, string App)> _retries = new(StringComparer.Ordinal);

    public PlanRunner(TimeProvider time, TimeSpan retryBase, TimeSpan retryCap, ILogger logger)
    {
        _time = time;
        _base = retryBase;
        _cap = retryCap;
        _logger = logger;
    }

    /// <summary>Earliest moment a deferred command of the last plan may run again.</summary>
    public DateTimeOffset? NextRetryAt { get; private set; }

    public async Task<IReadOnlyList<CommandOutcome>> RunAsync(Plan plan, CommandContext context, CancellationToken cancellationToken)
    {
        var outcomes = new List<CommandOutcome>(plan.Commands.Length);
        var blockedApps = new HashSet<string>(StringComparer.Ordinal);
        var planned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in plan.Commands)
        {
            planned.Add(command.Id);
            if (blockedApps.Contains(command.App))
            {
                outcomes.Add(new CommandOutcome(command, CommandOutcomeKind.Skipped));
                continue;
            }
            if (_retries.TryGetValue(command.Id, out var retry) && retry.NotBefore > _time.GetUtcNow())
            {
                blockedApps.Add(command.App);
                outcomes.Add(new CommandOutcome(command, CommandOutcomeKind.Deferred));
                continue;
            }
            try
            {
                SupervisorLog.CommandRunning(_logger, command.Show());
                await command.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
                _retries.Remove(command.Id);
                outcomes.Add(new CommandOutcome(command, CommandOutcomeKind.Succeeded));
            }
            catch (EngineUnavailableException)
            {
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failures = retry.Failures + 1;
                var delay = Backoff(failures);
                _retries[command.Id] = (failures, _time.GetUtcNow() + delay, command.App);
                blockedApps.Add(command.App);
                SupervisorLog.CommandFailed(_logger, command.Show(), failures, delay, e.Message);
                outcomes.Add(new CommandOutcome(command, CommandOutcomeKind.Failed, e));
            }
        }
        // Forget retry state of commands that are no longer planned.
        foreach (var id in _retries.Keys.Where(k => !planned.Contains(k)).ToList()) _retries.Remove(id);
        NextRetryAt = _retries.Count == 0 ? null : _retries.Values.Min(r => r.NotBefore);
        return outcomes;
    }

    /// <summary>Drops the retry backoff of every command of <paramref name="app"/> (operator asked to try now).</summary>
    public void Forget(string app)
    {
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
