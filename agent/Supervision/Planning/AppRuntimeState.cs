using System.Collections.Immutable;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>
/// What the supervisor remembers about one app beyond what the engine shows: crash accounting, operator stops, image
/// errors. Immutable; valid for one spec hash (a new spec starts from <see cref="Fresh"/>).
/// </summary>
public sealed record AppRuntimeState
{
    public required string SpecHash { get; init; }

    /// <summary>Crash times inside the crash-loop window (oldest first).</summary>
    public ImmutableArray<DateTimeOffset> Failures { get; init; } = [];

    /// <summary>When the next restart after a crash may happen (null: at once).</summary>
    public DateTimeOffset? NextRestartAt { get; init; }

    /// <summary>Restarts after crashes since this spec was applied.</summary>
    public uint Restarts { get; init; }

    public int? LastExitCode { get; init; }

    /// <summary>Crash loop: restarts exhausted; stays until the spec changes or an operator starts/restarts the app.</summary>
    public bool Failed { get; init; }

    /// <summary>Stopped by an operator command; stays stopped until an operator starts it.</summary>
    public bool OperatorStopped { get; init; }

    /// <summary>The supervisor stopped the container itself (shed, recreate, unhealthy restart): its exit is not a crash.</summary>
    public bool ExpectedStop { get; init; }

    /// <summary>Non-null while the image could not be pulled or loaded: the reason.</summary>
    public string? ImageError { get; init; }

    /// <summary>The last exit already accounted (<see cref="Engine.ContainerInfo.ExitKey"/>).</summary>
    public string? LastExitKey { get; init; }

    /// <summary>The last run already accounted as unhealthy (<see cref="Engine.ContainerInfo.RunKey"/>).</summary>
    public string? LastUnhealthyKey { get; init; }

    /// <summary>Log tail captured when the app failed.</summary>
    public string LogTail { get; init; } = "";

    public static AppRuntimeState Fresh(string specHash) => new() { SpecHash = specHash };
}
