using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// Keeps the applied desired state: at boot the persisted one is handed to the supervisor before the hub is
/// contacted (offline autonomy); a new one from the hub is checked, persisted durably first, then applied.
/// </summary>
public sealed partial class DesiredStateSync
{
    private readonly AgentStateRepository _repository;
    private readonly IAppSupervisor _supervisor;
    private readonly IEventJournal _journal;
    private readonly ILogger _logger;
    private volatile DesiredState? _current;

    public DesiredStateSync(AgentStateRepository repository, IAppSupervisor supervisor, IEventJournal journal, ILogger<DesiredStateSync> logger)
    {
        _repository = repository;
        _supervisor = supervisor;
        _journal = journal;
        _logger = logger;
    }

    public DesiredState? Current => _current;

    public ulong AppliedGeneration => _current?.Generation ?? 0;

    /// <summary>Applies the persisted state, if any. Returns false on a fresh unit.</summary>
    public async Task<bool> ApplyPersistedAsync(CancellationToken cancellationToken)
    {
        DesiredState? persisted;
        try
        {
            persisted = _repository.LoadDesiredState();
        }
        catch (InvalidDataException e)
        {
            LogPersistedUnreadable(_logger, e.Message);
            return false;
        }

        if (persisted is null)
        {
            LogNoPersistedState(_logger);
            return false;
        }

        try
        {
            await _supervisor.ApplyAsync(persisted, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            LogPersistedUnreadable(_logger, e.Message);
            return false;
        }

        _current = persisted;
        LogAppliedPersisted(_logger, persisted.Generation, persisted.Apps.Count);
        return true;
    }

    /// <summary>Persists (durably) and applies a desired state from the hub. Returns false (and keeps the current one)
    /// when the state is invalid.</summary>
    public async Task<bool> AcceptAsync(DesiredState state, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var problem = Check(state);
        if (problem is not null)
        {
            LogRejected(_logger, state.Generation, problem);
            _journal.Append(EventKind.Custom, "", $"desired state generation {state.Generation} rejected: {problem}");
            return false;
        }

        // Persist first: a power cut between the two re-applies the new state at the next boot.
        var previous = _current;
        _repository.SaveDesiredState(raw.Span);
        try
        {
            await _supervisor.ApplyAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            // The supervisor refused it as a whole: keep (and re-persist) the one in force.
            if (previous is not null)
            {
                _repository.SaveDesiredState(previous);
            }

            LogRejected(_logger, state.Generation, e.Message);
            _journal.Append(EventKind.Custom, "", $"desired state generation {state.Generation} rejected: {e.Message}");
            return false;
        }

        _current = state;
        _journal.Append(EventKind.DesiredStateApplied, "", $"generation {state.Generation}, {state.Apps.Count} apps", critical: true);
        LogApplied(_logger, state.Generation, state.Apps.Count);
        return true;
    }

    internal static string? Check(DesiredState state)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < state.Apps.Count; i++)
        {
            var app = state.Apps[i];
            if (string.IsNullOrWhiteSpace(app.Name))
            {
                return $"app #{i} has no name";
            }

            if (!names.Add(app.Name))
            {
                return $"app '{app.Name}' appears twice";
            }

            if (string.IsNullOrWhiteSpace(app.Image))
            {
                return $"app '{app.Name}' has no image";
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "no persisted desired state (fresh unit): waiting for the hub")]
    private static partial void LogNoPersistedState(ILogger logger);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "applied persisted desired state generation {Generation} ({Apps} apps) before contacting the hub")]
    private static partial void LogAppliedPersisted(ILogger logger, ulong generation, int apps);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "persisted desired state is unreadable, waiting for the hub: {Reason}")]
    private static partial void LogPersistedUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "desired state generation {Generation} ({Apps} apps) persisted and applied")]
    private static partial void LogApplied(ILogger logger, ulong generation, int apps);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "desired state generation {Generation} rejected, keeping the current one: {Reason}")]
    private static partial void LogRejected(ILogger logger, ulong generation, string reason);
}
