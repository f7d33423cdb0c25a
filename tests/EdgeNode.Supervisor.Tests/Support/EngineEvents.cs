using Docker.DotNet;
using Docker.DotNet.Models;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>A test-side subscription to the engine's event stream for one container name: (action, engine time) in order.</summary>
internal sealed class EngineEvents : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private readonly List<(string Action, DateTimeOffset Time)> _events = [];

    public EngineEvents(DockerClient docker, string containerName)
    {
        var parameters = new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["container"] = new Dictionary<string, bool> { [containerName] = true },
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
            },
        };
        _task = docker.System.MonitorEventsAsync(parameters, new Sink(this), _stop.Token);
    }

    public (string Action, DateTimeOffset Time)[] Snapshot()
    {
        lock (_events) return [.. _events];
    }

    public DateTimeOffset[] TimesOf(string action) => Snapshot().Where(e => e.Action == action).Select(e => e.Time).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _task; } catch (Exception) { }
        _stop.Dispose();
    }

    private sealed class Sink(EngineEvents owner) : IProgress<Message>
    {
        public void Report(Message value)
        {
            var t = DateTimeOffset.FromUnixTimeMilliseconds((value.TimeNano ?? 0) / 1_000_000);
            lock (owner._events) owner._events.Add((value.Action ?? "", t));
        }
    }
}
