using System.Text.Json.Serialization;

namespace EdgeNode.Agent.Supervision.Engine.Api;

// The slice of the Docker Engine API (v1.41, Debian 12's docker.io 20.10; unchanged in later versions) the supervisor
// reads and writes. Field names are the engine's own; everything else in its answers is skipped while parsing.

/// <summary>One row of <c>GET /containers/json</c>.</summary>
internal sealed class ContainerSummary
{
    public string Id { get; set; } = "";
}

/// <summary><c>GET /containers/{id}/json</c>.</summary>
internal sealed class ContainerInspect
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public ContainerConfigView? Config { get; set; }
    public ContainerStateView? State { get; set; }
}

internal sealed class ContainerConfigView
{
    public Dictionary<string, string>? Labels { get; set; }
}

internal sealed class ContainerStateView
{
    public string? Status { get; set; }
    public long ExitCode { get; set; }
    public bool OOMKilled { get; set; }
    public HealthView? Health { get; set; }
    public string? StartedAt { get; set; }
    public string? FinishedAt { get; set; }
}

internal sealed class HealthView
{
    public string? Status { get; set; }
}

/// <summary>One row of <c>GET /images/json</c>.</summary>
internal sealed class ImageSummary
{
    public List<string>? RepoTags { get; set; }
}

/// <summary>Answer of <c>POST /containers/create</c>.</summary>
internal sealed class CreateResponse
{
    public string Id { get; set; } = "";
}

/// <summary>The body of an engine error answer.</summary>
internal sealed class ErrorResponse
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>One progress line of <c>POST /images/create</c> (pull) and <c>POST /images/load</c>.</summary>
internal sealed class ProgressMessage
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("stream")]
    public string? Stream { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("errorDetail")]
    public ErrorResponse? ErrorDetail { get; set; }
}

/// <summary>One line of <c>GET /events</c>.</summary>
internal sealed class EventMessage
{
    public string? Type { get; set; }
    public string? Action { get; set; }
    public EventActor? Actor { get; set; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; set; }
}

internal sealed class EventActor
{
    public string? ID { get; set; }
    public Dictionary<string, string>? Attributes { get; set; }
}

/// <summary>The body of <c>POST /containers/create</c>.</summary>
internal sealed class CreateContainerBody
{
    public string Image { get; set; } = "";
    public List<string>? Cmd { get; set; }
    public List<string>? Entrypoint { get; set; }
    public List<string> Env { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, EmptyObject> ExposedPorts { get; set; } = [];
    public int? StopTimeout { get; set; }
    public HealthcheckBody? Healthcheck { get; set; }
    public HostConfigBody HostConfig { get; set; } = new();
}

internal sealed class HealthcheckBody
{
    public List<string> Test { get; set; } = [];

    /// <summary>Nanoseconds; 0 inherits the image's value.</summary>
    public long Interval { get; set; }
    public long Timeout { get; set; }
    public long StartPeriod { get; set; }
    public int Retries { get; set; }
}

internal sealed class HostConfigBody
{
    public RestartPolicyBody RestartPolicy { get; set; } = new();
    public Dictionary<string, List<PortBindingBody>> PortBindings { get; set; } = [];
    public List<string> Binds { get; set; } = [];
    public long Memory { get; set; }
    public long MemoryReservation { get; set; }
    public long NanoCpus { get; set; }
    public LogConfigBody? LogConfig { get; set; }
}

internal sealed class RestartPolicyBody
{
    public string Name { get; set; } = "no";
}

internal sealed class PortBindingBody
{
    public string? HostIp { get; set; }
    public string? HostPort { get; set; }
}

internal sealed class LogConfigBody
{
    public string Type { get; set; } = "json-file";
    public Dictionary<string, string> Config { get; set; } = [];
}

/// <summary>Serializes as <c>{}</c> (the engine's "set" encoding, e.g. ExposedPorts).</summary>
internal sealed class EmptyObject;

/// <summary>Source-generated (AOT) JSON for the engine's models; unknown fields in answers are skipped.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(CreateResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ProgressMessage))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(CreateContainerBody))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
internal sealed partial class EngineJson : JsonSerializerContext;
