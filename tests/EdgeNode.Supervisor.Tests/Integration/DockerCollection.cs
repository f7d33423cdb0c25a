namespace EdgeNode.Supervisor.Tests.Integration;

/// <summary>Real-engine tests run one at a time (2-core CI box; timing assertions need a quiet engine).</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection
{
    public const string Name = "docker engine";
}

/// <summary>The test that stops and restarts dockerd runs alone, after everything else.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineRestartCollection
{
    public const string Name = "docker engine restart";
}
