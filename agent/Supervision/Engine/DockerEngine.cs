using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>
/// <see cref="IContainerEngine"/> over Docker.DotNet.Enhanced (AOT-clean). The only place that knows Docker's API:
/// it maps Docker models to <see cref="ContainerInfo"/> and Docker/transport errors to our exceptions.
/// </summary>
public sealed class DockerEngine : IContainerEngine
{
    private readonly DockerClient _client;
    private readonly SupervisorOptions _options;

    public DockerEngine(SupervisorOptions options)
    {
        _options = options;
        _client = new DockerClientBuilder().WithEndpoint(new Uri(options.DockerEndpoint)).Build();
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        Call("ping", "engine", ct => _client.System.PingAsync(ct), cancellationToken);

    public async Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(string scope, CancellationToken cancellationToken)
    {
        var list = await Call("list containers", "engine", ct => _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = ScopeFilter(scope),
        }, ct), cancellationToken).ConfigureAwait(false);
        var inspected = await Task.WhenAll(list.Select(async c =>
        {
            try
            {
                return await Call("inspect", c.ID, ct => _client.Containers.InspectContainerAsync(c.ID, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (ContainerNotFoundException)
            {
                return null; // removed between list and inspect
            }
        })).ConfigureAwait(false);
        var result = new List<ContainerInfo>(list.Count);
        foreach (var i in inspected)
            if (i is not null) result.Add(ToInfo(i));
        return result;
    }

    public async Task<IReadOnlySet<string>> ListImageTagsAsync(CancellationToken cancellationToken)
    {
        var images = await Call("list images", "engine", ct => _client.Images.ListImagesAsync(new ImagesListParameters(), ct), cancellationToken).ConfigureAwait(false);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in images)
            foreach (var t in i.RepoTags ?? [])
                if (t != "<none>:<none>") tags.Add(ImageReference.Normalize(t));
        return tags;
    }

    public async Task PullAsync(string image, CancellationToken cancellationToken)
    {
        var (name, tag) = ImageReference.Split(image);
        var errors = new ErrorCollector();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PullTimeout);
        try
        {
            await _client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, null, errors, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageNotFoundException(image, $"pull of image '{image}' timed out after {_options.PullTimeout}");
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ImageNotFoundException(image, $"pull of image '{image}' failed: {Reason(e)}", e);
        }
        catch (Exception e) when (IsTransport(e, cancellationToken))
        {
            throw Unavailable("pull", image, e);
        }
        if (errors.Error is { } error)
            throw new ImageNotFoundException(image, $"pull of image '{image}' failed: {error}");
    }

    public async Task LoadAsync(Stream tarball, CancellationToken cancellationToken)
    {
        var errors = new ErrorCollector();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PullTimeout);
        await Call("load image", "tarball", ct => _client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, tarball, errors, ct), timeout.Token).ConfigureAwait(false);
        if (errors.Error is { } error) throw new EngineException($"docker load failed: {error}");
    }

    public async Task<string> CreateAsync(string scope, AppSpec spec, string specHash, CancellationToken cancellationToken)
    {
        var parameters = ContainerParameters.Build(scope, spec, specHash, _options);
        try
        {
            var response = await Call("create", parameters.Name ?? spec.Name, ct => _client.Containers.CreateContainerAsync(parameters, ct), cancellationToken).ConfigureAwait(false);
            return response.ID;
        }
        catch (ContainerNotFoundException e)
        {
            // Create answers 404 only for a missing image.
            throw new ImageNotFoundException(spec.Image, $"image '{spec.Image}' of app '{spec.Name}' is not in the engine", e);
        }
    }

    public Task StartAsync(string container, CancellationToken cancellationToken) =>
        Call("start", container, ct => _client.Containers.StartContainerAsync(container, new ContainerStartParameters(), ct), cancellationToken);

    public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) =>
        Call("stop", container, ct => _client.Containers.StopContainerAsync(container, new ContainerStopParameters
        {
            WaitBeforeKillSeconds = (uint)Math.Ceiling(timeout.TotalSeconds),
        }, ct), cancellationToken, extraTime: timeout);

    public Task RemoveAsync(string container, CancellationToken cancellationToken) =>
        Call("remove", container, ct => _client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, ct), cancellationToken);

    public async Task<string> LogsTailAsync(string container, int lines, CancellationToken cancellationToken)
    {
        using var stream = await Call("logs", container, ct => _client.Containers.GetContainerLogsAsync(container, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Tail = lines.ToString(CultureInfo.InvariantCulture),
        }, ct), cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        using var output = new MemoryStream();
        while (true)
        {
            var read = await Call("logs", container, ct => stream.ReadOutputAsync(buffer, 0, buffer.Length, ct), cancellationToken).ConfigureAwait(false);
            if (read.EOF || read.Count == 0) break;
            output.Write(buffer, 0, read.Count);
        }
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    public async Task WatchAsync(string scope, DateTimeOffset since, Action<EngineEvent> onEvent, CancellationToken cancellationToken)
    {
        var parameters = new ContainerEventsParameters
        {
            Since = since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Filters = ScopeFilter(scope),
        };
        parameters.Filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        try
        {
            await _client.System.MonitorEventsAsync(parameters, new EventSink(onEvent), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DockerApiException e)
        {
            throw new EngineUnavailableException($"engine event stream failed: {Reason(e)}", e);
        }
        catch (Exception e)
        {
            throw Unavailable("watch events", "engine", e);
        }
        throw new EngineUnavailableException("engine event stream ended (engine stopped or restarting)");
    }

    public void Dispose() => _client.Dispose();

    internal static ContainerInfo ToInfo(ContainerInspectResponse c)
    {
        var labels = c.Config?.Labels ?? new Dictionary<string, string>();
        var state = c.State;
        var status = (state?.Status ?? "") switch
        {
            "created" => ContainerStatus.Created,
            "running" => ContainerStatus.Running,
            "paused" => ContainerStatus.Paused,
            "restarting" => ContainerStatus.Restarting,
            "exited" => ContainerStatus.Exited,
            _ => ContainerStatus.Dead,
        };
        var health = (state?.Health?.Status ?? "") switch
        {
            "starting" => ContainerHealth.Starting,
            "healthy" => ContainerHealth.Healthy,
            "unhealthy" => ContainerHealth.Unhealthy,
            _ => ContainerHealth.None,
        };
        return new ContainerInfo(
            c.ID,
            (c.Name ?? "").TrimStart('/'),
            labels.TryGetValue(ManagedLabels.App, out var app) ? app : "",
            labels.TryGetValue(ManagedLabels.SpecHash, out var hash) ? hash : "",
            status,
            (int)(state?.ExitCode ?? 0),
            state?.OOMKilled ?? false,
            health,
            ParseTime(state?.StartedAt),
            ParseTime(state?.FinishedAt));
    }

    internal static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1
            ? t.ToUniversalTime()
            : null;

    private static Dictionary<string, IDictionary<string, bool>> ScopeFilter(string scope) => new()
    {
        ["label"] = new Dictionary<string, bool>
        {
            [ManagedLabels.Managed + "=true"] = true,
            [ManagedLabels.Scope + "=" + scope] = true,
        },
    };

    private Task Call(string what, string resource, Func<CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan extraTime = default) =>
        Call<bool>(what, resource, async ct => { await call(ct).ConfigureAwait(false); return true; }, cancellationToken, extraTime);

    private async Task<T> Call<T>(string what, string resource, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan extraTime = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.EngineCallTimeout + extraTime);
        try
        {
            return await call(timeout.Token).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException e)
        {
            throw new ContainerNotFoundException(resource, e);
        }
        catch (DockerImageNotFoundException e)
        {
            throw new ImageNotFoundException(resource, $"image '{resource}' is not in the engine", e);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ContainerNotFoundException(resource, e);
        }
        catch (DockerApiException e)
        {
            throw new EngineException($"engine refused {what} of '{resource}' ({(int)e.StatusCode}): {Reason(e)}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException($"engine did not answer {what} of '{resource}' within {_options.EngineCallTimeout + extraTime}", e);
        }
        catch (Exception e) when (IsTransport(e, cancellationToken))
        {
            throw Unavailable(what, resource, e);
        }
    }

    private EngineUnavailableException Unavailable(string what, string resource, Exception e) =>
        new($"engine at {_options.DockerEndpoint} unavailable during {what} of '{resource}': {e.GetBaseException().Message}", e);

    private static bool IsTransport(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is HttpRequestException or IOException or SocketException or ObjectDisposedException or TimeoutException
            || e.InnerException is SocketException or IOException;

    private static string Reason(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        const string key = "\"message\":\"";
        var i = body.IndexOf(key, StringComparison.Ordinal);
        if (i < 0) return body.Length > 0 ? body : e.StatusCode.ToString();
        var start = i + key.Length;
        var end = body.IndexOf('"', start);
        return end > start ? body[start..end] : body[start..];
    }

    /// <summary>Synchronous progress sink: keeps event order (Progress&lt;T&gt; posts to the thread pool and may reorder).</summary>
    private sealed class EventSink(Action<EngineEvent> onEvent) : IProgress<Message>
    {
        public void Report(Message value)
        {
            if (value.Type != "container" || value.Actor is null) return;
            var attributes = value.Actor.Attributes ?? new Dictionary<string, string>();
            var action = value.Action ?? "";
            var kind = action switch
            {
                "start" => EngineEventKind.Start,
                "die" => EngineEventKind.Die,
                "oom" => EngineEventKind.Oom,
                "destroy" => EngineEventKind.Destroy,
                "health_status: unhealthy" => EngineEventKind.Unhealthy,
                "health_status: healthy" => EngineEventKind.Healthy,
                _ => EngineEventKind.Other,
            };
            if (kind == EngineEventKind.Other) return; // exec_* probe noise and the like
            int? exit = attributes.TryGetValue("exitCode", out var code) && int.TryParse(code, CultureInfo.InvariantCulture, out var v) ? v : null;
            var time = value.TimeNano is { } ns ? DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000) : DateTimeOffset.UtcNow;
            onEvent(new EngineEvent(kind, value.Actor.ID ?? "", attributes.TryGetValue(ManagedLabels.App, out var app) ? app : "", exit, time));
        }
    }

    private sealed class ErrorCollector : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } m) Error = m;
        }
    }
}
