using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>
/// The runtime adapter: every Docker Engine call goes through here, and engine errors are translated here into
/// <see cref="EngineUnavailableException"/>, <see cref="ImageNotFoundException"/>, <see cref="ContainerNotFoundException"/>
/// or <see cref="EngineException"/>.
/// </summary>
public interface IContainerEngine : IDisposable
{
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Every container labelled managed in <paramref name="scope"/>, inspected.</summary>
    Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Repo tags of all images in the engine, normalized (<see cref="Images.ImageReference.Normalize"/>).</summary>
    Task<IReadOnlySet<string>> ListImageTagsAsync(CancellationToken cancellationToken);

    Task PullAsync(string image, CancellationToken cancellationToken);

    /// <summary>docker load of an image tarball.</summary>
    Task LoadAsync(Stream tarball, CancellationToken cancellationToken);

    /// <summary>Creates the container for <paramref name="spec"/> (restart policy "no": the supervisor restarts).</summary>
    Task<string> CreateAsync(string scope, AppSpec spec, string specHash, CancellationToken cancellationToken);

    Task StartAsync(string container, CancellationToken cancellationToken);

    Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken);

    Task RemoveAsync(string container, CancellationToken cancellationToken);

    Task<string> LogsTailAsync(string container, int lines, CancellationToken cancellationToken);

    /// <summary>
    /// Streams container events of <paramref name="scope"/> since <paramref name="since"/> into <paramref name="onEvent"/>
    /// until the stream ends (engine stopped: throws <see cref="EngineUnavailableException"/>) or cancellation.
    /// </summary>
    Task WatchAsync(string scope, DateTimeOffset since, Action<EngineEvent> onEvent, CancellationToken cancellationToken);
}
