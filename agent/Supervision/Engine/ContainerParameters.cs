using System.Globalization;
using EdgeNode.Agent.Supervision.Engine.Api;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>Maps an <see cref="AppSpec"/> to the engine's create body, with our ownership labels.</summary>
internal static class ContainerParameters
{
    public static CreateContainerBody Build(string scope, AppSpec spec, string specHash, SupervisorOptions options)
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

        var exposed = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        var bindings = new Dictionary<string, List<PortBindingBody>>(StringComparer.Ordinal);
        foreach (var p in spec.Ports)
        {
            var key = p.ContainerPort.ToString(CultureInfo.InvariantCulture) + "/" + (string.IsNullOrEmpty(p.Protocol) ? "tcp" : p.Protocol);
            exposed[key] = new EmptyObject();
            if (p.HostPort == 0) continue;
            if (!bindings.TryGetValue(key, out var list)) bindings[key] = list = [];
            list.Add(new PortBindingBody { HostIp = p.HostIp, HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture) });
        }

        var body = new CreateContainerBody
        {
            Image = spec.Image,
            Env = spec.Env.Select(e => e.Key + "=" + e.Value).ToList(),
            Labels = labels,
            ExposedPorts = exposed,
            StopTimeout = (int)Math.Ceiling(options.StopTimeout.TotalSeconds),
            HostConfig = new HostConfigBody
            {
                // The supervisor implements the spec's restart policy itself (backoff and crash-loop accounting).
                RestartPolicy = new RestartPolicyBody { Name = "no" },
                PortBindings = bindings,
                Binds = spec.Volumes.Select(v => v.Source + ":" + v.Target + (v.ReadOnly ? ":ro" : "")).ToList(),
                Memory = (long)spec.MemoryLimitBytes,
                MemoryReservation = (long)spec.MemoryReservationBytes,
                NanoCpus = spec.CpuMillis * 1_000_000L,
                LogConfig = new LogConfigBody
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
        if (spec.Command.Count > 0) body.Cmd = [.. spec.Command];
        if (spec.Entrypoint.Count > 0) body.Entrypoint = [.. spec.Entrypoint];
        if (spec.Health is { Test.Count: > 0 } h)
        {
            body.Healthcheck = new HealthcheckBody
            {
                Test = [.. h.Test],
                Interval = Nanoseconds(h.IntervalMs),
                Timeout = Nanoseconds(h.TimeoutMs),
                StartPeriod = Nanoseconds(h.StartPeriodMs),
                Retries = (int)Math.Min(h.Retries, int.MaxValue),
            };
        }
        return body;
    }

    private static long Nanoseconds(uint ms) => ms > 0 ? ms * 1_000_000L : 0;
}
