using System.Globalization;
using Docker.DotNet.Models;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>Maps an <see cref="AppSpec"/> to Docker's create parameters, with our ownership labels.</summary>
internal static class ContainerParameters
{
    public static CreateContainerParameters Build(string scope, AppSpec spec, string specHash, SupervisorOptions options)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in spec.Labels) labels[kv.Key] = kv.Value;
        labels[ManagedLabels.Managed] = "true";
        labels[ManagedLabels.Scope] = scope;
        labels[ManagedLabels.App] = spec.Name;
        labels[ManagedLabels.SpecHash] = specHash;
        labels[ManagedLabels.Priority] = spec.Priority switch
        {
            PriorityClass.Critical => "critical",
            PriorityClass.BestEffort => "best-effort",
            _ => "normal",
        };

        var exposed = new Dictionary<string, EmptyStruct>();
        var bindings = new Dictionary<string, IList<PortBinding>>();
        foreach (var p in spec.Ports)
        {
            var key = p.ContainerPort.ToString(CultureInfo.InvariantCulture) + "/" + (string.IsNullOrEmpty(p.Protocol) ? "tcp" : p.Protocol);
            exposed[key] = default;
            if (p.HostPort == 0) continue;
            if (!bindings.TryGetValue(key, out var list)) bindings[key] = list = [];
            list.Add(new PortBinding { HostIP = p.HostIp, HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture) });
        }

        var parameters = new CreateContainerParameters
        {
            Name = ManagedLabels.ContainerName(scope, spec.Name),
            Image = spec.Image,
            Env = spec.Env.Select(e => e.Key + "=" + e.Value).ToList(),
            Labels = labels,
            ExposedPorts = exposed,
            StopTimeout = options.StopTimeout,
            HostConfig = new HostConfig
            {
                // The supervisor implements the spec's restart policy itself (backoff and crash-loop accounting).
                RestartPolicy = new Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.No },
                PortBindings = bindings,
                Binds = spec.Volumes.Select(v => v.Source + ":" + v.Target + (v.ReadOnly ? ":ro" : "")).ToList(),
                Memory = (long)spec.MemoryLimitBytes,
                MemoryReservation = (long)spec.MemoryReservationBytes,
                NanoCPUs = spec.CpuMillis * 1_000_000L,
                LogConfig = new LogConfig
                {
                    Type = "json-file",
                    Config = new Dictionary<string, string>
                    {
                        ["max-size"] = options.LogMaxSize,
                        ["max-file"] = options.LogMaxFiles.ToString(CultureInfo.InvariantCulture),
                    },
                },
            },
        };
        if (spec.Command.Count > 0) parameters.Cmd = [.. spec.Command];
        if (spec.Entrypoint.Count > 0) parameters.Entrypoint = [.. spec.Entrypoint];
        if (spec.Health is { Test.Count: > 0 } h)
        {
            parameters.Healthcheck = new HealthcheckConfig
            {
                Test = [.. h.Test],
                Interval = h.IntervalMs > 0 ? TimeSpan.FromMilliseconds(h.IntervalMs) : null,
                Timeout = h.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(h.TimeoutMs) : null,
                StartPeriod = h.StartPeriodMs > 0 ? TimeSpan.FromMilliseconds(h.StartPeriodMs) : null,
                Retries = h.Retries > 0 ? h.Retries : null,
            };
        }
        return parameters;
    }
}
