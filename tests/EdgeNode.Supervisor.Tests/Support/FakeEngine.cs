using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>A scripted engine for unit tests of commands and the supervisor's failure paths (the real one is tested against dockerd).</summary>
internal sealed class FakeEngine : IContainerEngine
{
    public List<string> Calls { get; } = [];
    public HashSet<string> Images { get; } = [];
    public Func<string, Exception?> PullError { get; set; } = image => new ImageNotFoundException(image, $"pull of image '{image}' failed: no registry");
    public Exception? ListError { get; set; }
    public Func<Stream, IEnumerable<string>> LoadProvides { get; set; } = _ => [];

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(string scope, CancellationToken cancellationToken)
    {
        Calls.Add("list");
        return ListError is { } e ? Task.FromException<IReadOnlyList<ContainerInfo>>(e) : Task.FromResult<IReadOnlyList<ContainerInfo>>([]);
    }

    public Task<IReadOnlySet<string>> ListImageTagsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(Images));

    public Task PullAsync(string image, CancellationToken cancellationToken)
    {
        Calls.Add("pull " + image);
        if (PullError(image) is { } e) return Task.FromException(e);
        Images.Add(ImageReference.Normalize(image));
        return Task.CompletedTask;
    }

    public Task LoadAsync(Stream tarball, CancellationToken cancellationToken)
    {
        Calls.Add("load");
        foreach (var i in LoadProvides(tarball)) Images.Add(ImageReference.Normalize(i));
        return Task.CompletedTask;
    }

    public Task<string> CreateAsync(string scope, AppSpec spec, string specHash, CancellationToken cancellationToken)
    {
        Calls.Add("create " + spec.Name);
        return Task.FromResult("id-" + spec.Name);
    }

    public Task StartAsync(string container, CancellationToken cancellationToken) { Calls.Add("start " + container); return Task.CompletedTask; }

    public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) { Calls.Add("stop " + container); return Task.CompletedTask; }

    public Task RemoveAsync(string container, CancellationToken cancellationToken) { Calls.Add("remove " + container); return Task.CompletedTask; }

    public Task<string> LogsTailAsync(string container, int lines, CancellationToken cancellationToken) => Task.FromResult("");

    public Task WatchAsync(string scope, DateTimeOffset since, Action<EngineEvent> onEvent, CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken);

    public void Dispose() { }
}
