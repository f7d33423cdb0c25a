using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Fakes;

/// <summary>Records what it is asked to apply and do; reports every applied app Running unless told otherwise.</summary>
internal sealed class FakeSupervisor : IAppSupervisor
{
    private readonly Lock _lock = new();
    private DesiredState? _applied;

    public List<DesiredState> Applied { get; } = [];

    public List<Command> Actions { get; } = [];

    public List<string> Degraded { get; set; } = [];

    public event Action<EventKind, string, string>? AppEvent;

    public DesiredState? Current { get { lock (_lock) { return _applied; } } }

    public Task ApplyAsync(DesiredState state, CancellationToken cancellationToken)
    {
        if (state.Apps.Any(a => a.Image.Contains("REJECT", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"Desired state rejected: app '{state.Apps[0].Name}': image reference is invalid");
        }

        lock (_lock)
        {
            _applied = state;
            Applied.Add(state);
        }

        foreach (var app in state.Apps)
        {
            AppEvent?.Invoke(EventKind.AppStarted, app.Name, "started");
        }

        return Task.CompletedTask;
    }

    public async Task RunAsync(Action tick, CancellationToken cancellationToken)
    {
        while (true)
        {
            tick();
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    public SupervisorStatus Snapshot()
    {
        lock (_lock)
        {
            var apps = _applied?.Apps.Select(a => new AppReport { Name = a.Name, Image = a.Image, Phase = AppPhase.Running }).ToList() ?? [];
            return new SupervisorStatus(apps, Degraded.ToArray());
        }
    }

    public Task<CommandResult> ExecuteAsync(Command command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Actions.Add(command);
        }

        return Task.FromResult(new CommandResult { Ok = true, Message = $"{command.Kind} {command.App} done", Output = command.Kind == CommandKind.AppLogs ? "line1\nline2" : "" });
    }
}
