using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// Carries out hub commands from heartbeat acks: identify → the LEDs' identify overlay; app start/stop/restart/logs
/// → the supervisor. A command the hub delivers again (its result was lost) is answered from memory, not re-run.
/// </summary>
public sealed partial class CommandExecutor
{
    public static readonly TimeSpan DefaultIdentify = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxIdentify = TimeSpan.FromHours(1);
    private const int Remembered = 64;

    private readonly IStatusLights _lights;
    private readonly IAppSupervisor _supervisor;
    private readonly IEventJournal _journal;
    private readonly ILogger _logger;
    private readonly Dictionary<ulong, CommandResult> _done = [];
    private readonly Queue<ulong> _order = new();

    public CommandExecutor(IStatusLights lights, IAppSupervisor supervisor, IEventJournal journal, ILogger<CommandExecutor> logger)
    {
        _lights = lights;
        _supervisor = supervisor;
        _journal = journal;
        _logger = logger;
    }

    public async Task<CommandResult> ExecuteAsync(Command command, CancellationToken cancellationToken)
    {
        if (_done.TryGetValue(command.Id, out var earlier))
        {
            return earlier;
        }

        CommandResult result;
        try
        {
            result = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = new CommandResult { Ok = false, Message = $"{command.Kind} {command.App} failed: {e.Message}" };
        }

        result.Id = command.Id;
        LogCommand(_logger, command.Id, command.Kind, command.App, result.Ok, result.Message);
        _journal.Append(EventKind.CommandDone, command.App, $"{command.Kind} #{command.Id}: {(result.Ok ? "ok" : "failed")} {result.Message}".TrimEnd());
        Remember(command.Id, result);
        return result;
    }

    private Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken)
    {
        switch (command.Kind)
        {
            case CommandKind.Identify:
                var duration = command.DurationSeconds == 0 ? DefaultIdentify : TimeSpan.FromSeconds(command.DurationSeconds);
                if (duration > MaxIdentify)
                {
                    duration = MaxIdentify;
                }

                _lights.Identify(duration);
                return Task.FromResult(new CommandResult { Ok = true, Message = $"identifying for {(int)duration.TotalSeconds} s" });

            case CommandKind.AppStart or CommandKind.AppStop or CommandKind.AppRestart or CommandKind.AppLogs:
                if (string.IsNullOrWhiteSpace(command.App))
                {
                    return Task.FromResult(new CommandResult { Ok = false, Message = $"{command.Kind} names no app" });
                }

                return _supervisor.ExecuteAsync(command, cancellationToken);

            default:
                return Task.FromResult(new CommandResult { Ok = false, Message = $"unknown command kind {(int)command.Kind}" });
        }
    }

    private void Remember(ulong id, CommandResult result)
    {
        _done[id] = result;
        _order.Enqueue(id);
        while (_order.Count > Remembered)
        {
            _done.Remove(_order.Dequeue());
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "hub command #{Id} {Kind} {App}: ok={Ok} {Message}")]
    private static partial void LogCommand(ILogger logger, ulong id, CommandKind kind, string app, bool ok, string message);
}
