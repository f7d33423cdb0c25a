using EdgeNode.Agent.Supervision;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform;

/// <summary>
/// <see cref="IAppSupervisor"/> over <see cref="ContainerSupervisor"/>: its reconcile loop, its snapshot as wire
/// reports, its actions as command results, and its app events for the journal. The supervisor's unit-wide
/// Degraded/Recovered events are left out: the agent journals unit-state changes itself (one copy each).
/// </summary>
public sealed class ContainerSupervisorAdapter : IAppSupervisor, IDisposable
{
    private readonly ContainerSupervisor _supervisor;
    private SupervisorSnapshot? _lastSnapshot;
    private SupervisorStatus _lastStatus = SupervisorStatus.Empty;

    public ContainerSupervisorAdapter(ContainerSupervisor supervisor) => _supervisor = supervisor;

    public event Action<EventKind, string, string>? AppEvent;

    public ContainerSupervisor Supervisor => _supervisor;

    /// <summary>Throws <see cref="InvalidDataException"/> (the port's "rejected" signal) when the supervisor rejects the state.</summary>
    public async Task ApplyAsync(DesiredState state, CancellationToken cancellationToken)
    {
        try
        {
            await _supervisor.ApplyAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDesiredStateException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    public async Task RunAsync(Action tick, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(() => PumpEventsAsync(stop.Token), CancellationToken.None);
        try
        {
            await _supervisor.RunAsync(tick, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public SupervisorStatus Snapshot()
    {
        var snapshot = _supervisor.Snapshot;
        if (!ReferenceEquals(snapshot, _lastSnapshot))
        {
            _lastStatus = new SupervisorStatus(snapshot.Apps.Select(a => a.ToReport()).ToArray(), snapshot.Degraded);
            _lastSnapshot = snapshot;
        }

        return _lastStatus;
    }

    public async Task<CommandResult> ExecuteAsync(Command command, CancellationToken cancellationToken)
    {
        var result = await _supervisor.ExecuteActionAsync(command.Kind, command.App, command.TailLines, cancellationToken).ConfigureAwait(false);
        return new CommandResult { Id = command.Id, Ok = result.Ok, Message = result.Message, Output = result.Output };
    }

    public void Dispose() => _supervisor.Dispose();

    private async Task PumpEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _supervisor.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (e.Kind is EventKind.Degraded or EventKind.Recovered)
            {
                continue;
            }

            AppEvent?.Invoke(e.Kind, e.App, e.Detail);
        }
    }
}
