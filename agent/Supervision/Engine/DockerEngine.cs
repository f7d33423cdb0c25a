using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeNode.Agent.Supervision.Engine.Api;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>
/// <see cref="IContainerEngine"/> over the Docker Engine API (<see cref="EngineHttpClient"/>: HTTP/1.1 on the unix socket,
/// source-generated JSON for the dozen fields we use). The only place that knows Docker's API: it maps the engine's
/// answers to <see cref="ContainerInfo"/> and its errors, and transport failures, to our exceptions.
/// </summary>
/// <remarks>
/// A general Docker client library (Docker.DotNet.Enhanced) cost the native-AOT agent about 10 MB of binary and the
/// matching resident pages, for hundreds of models we never touch; see agent/README.md, Budgets.
/// </remarks>
public sealed class DockerEngine : IContainerEngine
{
    private readonly EngineHttpClient _http;
    private readonly SupervisorOptions _options;

    public DockerEngine(SupervisorOptions options)
    {
        _options = options;
        _http = new EngineHttpClient(options.DockerEndpoint);
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        Call("ping", "engine", ct => _http.SendAsync("GET", "/_ping", ct), cancellationToken);

    public async Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(string scope, CancellationToken cancellationToken)
    {
        var list = await Call("list containers", "engine",
            ct => _http.GetJsonAsync("/containers/json?all=1&filters=" + Filters(scope), EngineJson.Default.ListContainerSummary, ct),
            cancellationToken).ConfigureAwait(false);
        var inspected = await Task.WhenAll(list.Select(async c =>
        {
            try
            {
                return await Call("inspect", c.Id, ct => _http.GetJsonAsync("/containers/" + Escape(c.Id) + "/json", EngineJson.Default.ContainerInspect, ct),
                    cancellationToken).ConfigureAwait(false);
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
        var images = await Call("list images", "engine", ct => _http.GetJsonAsync("/images/json", EngineJson.Default.ListImageSummary, ct), cancellationToken)
            .ConfigureAwait(false);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in images)
            foreach (var t in i.RepoTags ?? [])
                if (t != "<none>:<none>") tags.Add(ImageReference.Normalize(t));
        return tags;
    }

    public async Task PullAsync(string image, CancellationToken cancellationToken)
    {
        var (name, tag) = ImageReference.Split(image);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PullTimeout);
        string? error;
        try
        {
            using var response = await _http.SendAsync("POST", $"/images/create?fromImage={Escape(name)}&tag={Escape(tag)}", null, timeout.Token)
                .ConfigureAwait(false);
            error = await LastProgressErrorAsync(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageNotFoundException(image, $"pull of image '{image}' timed out after {_options.PullTimeout}");
        }
        catch (EngineApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ImageNotFoundException(image, $"pull of image '{image}' failed: {e.EngineMessage}", e);
        }
        catch (EngineApiException e)
        {
            throw new EngineException($"engine refused pull of '{image}' ({(int)e.Status}): {e.EngineMessage}", e);
        }
        catch (InvalidDataException e)
        {
            throw Malformed("pull", image, e);
        }
        catch (Exception e) when (IsTransport(e, cancellationToken))
        {
            throw Unavailable("pull", image, e);
        }
        if (error is not null)
            throw new ImageNotFoundException(image, $"pull of image '{image}' failed: {error}");
    }

    public async Task LoadAsync(Stream tarball, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PullTimeout);
        var error = await Call("load image", "tarball", async ct =>
        {
            using var response = await _http.SendAsync("POST", "/images/load?quiet=1", RequestBody.Tar(tarball), ct).ConfigureAwait(false);
            return await LastProgressErrorAsync(response, ct).ConfigureAwait(false);
        }, timeout.Token).ConfigureAwait(false);
        if (error is not null) throw new EngineException($"docker load failed: {error}");
    }

    public async Task<string> CreateAsync(string scope, AppSpec spec, string specHash, CancellationToken cancellationToken)
    {
        var body = ContainerParameters.Build(scope, spec, specHash, _options);
        var name = ManagedLabels.ContainerName(scope, spec.Name);
        try
        {
            var response = await Call("create", name,
                ct => _http.PostJsonAsync("/containers/create?name=" + Escape(name), body, EngineJson.Default.CreateContainerBody, EngineJson.Default.CreateResponse, ct),
                cancellationToken).ConfigureAwait(false);
            return response.Id;
        }
        catch (ContainerNotFoundException e)
        {
            // Create answers 404 only for a missing image.
            throw new ImageNotFoundException(spec.Image, $"image '{spec.Image}' of app '{spec.Name}' is not in the engine", e);
        }
    }

    public Task StartAsync(string container, CancellationToken cancellationToken) =>
        Call("start", container, ct => _http.SendAsync("POST", "/containers/" + Escape(container) + "/start", ct), cancellationToken);

    public Task StopAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = (long)Math.Ceiling(timeout.TotalSeconds);
        return Call("stop", container,
            ct => _http.SendAsync("POST", "/containers/" + Escape(container) + "/stop?t=" + seconds.ToString(CultureInfo.InvariantCulture), ct),
            cancellationToken, extraTime: timeout);
    }

    public Task RemoveAsync(string container, CancellationToken cancellationToken) =>
        Call("remove", container, ct => _http.SendAsync("DELETE", "/containers/" + Escape(container) + "?force=1", ct), cancellationToken);

    public Task<string> LogsTailAsync(string container, int lines, CancellationToken cancellationToken) =>
        Call("logs", container, async ct =>
        {
            var path = "/containers/" + Escape(container) + "/logs?stdout=1&stderr=1&tail=" + lines.ToString(CultureInfo.InvariantCulture);
            using var response = await _http.SendAsync("GET", path, null, ct).ConfigureAwait(false);
            return await LogStreamReader.ReadAllAsync(response.Body, ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task WatchAsync(string scope, DateTimeOffset since, Action<EngineEvent> onEvent, CancellationToken cancellationToken)
    {
        var path = "/events?since=" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "&filters=" + Filters(scope, containersOnly: true);
        try
        {
            using var response = await _http.SendAsync("GET", path, null, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(response.Body, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (ParseEvent(line) is { } e) onEvent(e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (EngineApiException e)
        {
            throw new EngineUnavailableException($"engine event stream failed ({(int)e.Status}): {e.EngineMessage}", e);
        }
        catch (Exception e)
        {
            throw Unavailable("watch events", "engine", e);
        }
        throw new EngineUnavailableException("engine event stream ended (engine stopped or restarting)");
    }

    public void Dispose()
    {
        // Every engine exchange closes its own connection: nothing is held between calls.
    }

    internal static ContainerInfo ToInfo(ContainerInspect c)
    {
        var labels = c.Config?.Labels ?? [];
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
            c.Id,
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

    /// <summary>One line of the engine's event stream as our <see cref="EngineEvent"/>; null for what the supervisor ignores.</summary>
    internal static EngineEvent? ParseEvent(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        EventMessage? value;
        try
        {
            value = JsonSerializer.Deserialize(line, EngineJson.Default.EventMessage);
        }
        catch (JsonException e)
        {
            throw new EngineException($"engine event stream sent a line that is not an event: {e.Message}", e);
        }
        if (value is null || value.Type != "container" || value.Actor is null) return null;
        var attributes = value.Actor.Attributes ?? [];
        var kind = (value.Action ?? "") switch
        {
            "start" => EngineEventKind.Start,
            "die" => EngineEventKind.Die,
            "oom" => EngineEventKind.Oom,
            "destroy" => EngineEventKind.Destroy,
            "health_status: unhealthy" => EngineEventKind.Unhealthy,
            "health_status: healthy" => EngineEventKind.Healthy,
            _ => EngineEventKind.Other,
        };
        if (kind == EngineEventKind.Other) return null; // exec_* probe noise and the like
        int? exit = attributes.TryGetValue("exitCode", out var code) && int.TryParse(code, CultureInfo.InvariantCulture, out var v) ? v : null;
        var time = value.TimeNano > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(value.TimeNano / 1_000_000) : DateTimeOffset.UtcNow;
        return new EngineEvent(kind, value.Actor.ID ?? "", attributes.TryGetValue(ManagedLabels.App, out var app) ? app : "", exit, time);
    }

    /// <summary>The <c>filters</c> query value selecting our scope's containers.</summary>
    internal static string Filters(string scope, bool containersOnly = false)
    {
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            ["label"] = [ManagedLabels.Managed + "=true", ManagedLabels.Scope + "=" + scope],
        };
        if (containersOnly) filters["type"] = ["container"];
        return Uri.EscapeDataString(JsonSerializer.Serialize(filters, EngineJson.Default.DictionaryStringListString));
    }

    /// <summary>Reads a pull/load progress stream to its end; the last error it reported, if any.</summary>
    private static async Task<string?> LastProgressErrorAsync(EngineResponse response, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(response.Body, Encoding.UTF8);
        string? error = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.TrimStart().StartsWith('{')) continue;
            ProgressMessage? message;
            try
            {
                message = JsonSerializer.Deserialize(line, EngineJson.Default.ProgressMessage);
            }
            catch (JsonException)
            {
                continue; // progress bars and other decoration
            }
            if (message?.ErrorDetail?.Message is { Length: > 0 } detail) error = detail;
            else if (message?.Error is { Length: > 0 } m) error = m;
        }
        return error;
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

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
        catch (EngineApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            throw new ContainerNotFoundException(resource, e);
        }
        catch (EngineApiException e)
        {
            throw new EngineException($"engine refused {what} of '{resource}' ({(int)e.Status}): {e.EngineMessage}", e);
        }
        catch (InvalidDataException e)
        {
            throw Malformed(what, resource, e);
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

    private EngineException Malformed(string what, string resource, InvalidDataException e) =>
        new($"engine at {_options.DockerEndpoint} sent a malformed answer to {what} of '{resource}': {e.Message}", e);

    private static bool IsTransport(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is IOException or SocketException or ObjectDisposedException or TimeoutException
            || e.InnerException is SocketException or IOException;
}
