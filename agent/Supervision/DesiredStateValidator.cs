using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision;

/// <summary>Checks a desired state before the supervisor accepts it. Returns one message per problem, naming the app.</summary>
public static class DesiredStateValidator
{
    public static IReadOnlyList<string> Validate(DesiredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < state.Apps.Count; i++)
        {
            var app = state.Apps[i];
            if (app is null) { problems.Add($"app #{i} is null"); continue; }
            var who = string.IsNullOrEmpty(app.Name) ? $"app #{i}" : $"app '{app.Name}'";
            if (!NameRules.IsAppName(app.Name))
                problems.Add($"{who}: name must be 1-63 characters of a-z, 0-9, '_', '.', '-' starting with a letter or digit");
            else if (!seen.Add(app.Name))
                problems.Add($"{who}: name appears more than once");
            if (string.IsNullOrWhiteSpace(app.Image))
                problems.Add($"{who}: image is empty");
            if (app.MemoryReservationBytes > 0 && app.MemoryLimitBytes > 0 && app.MemoryReservationBytes > app.MemoryLimitBytes)
                problems.Add($"{who}: memory reservation {app.MemoryReservationBytes} exceeds the limit {app.MemoryLimitBytes}");
            if (app.MemoryLimitBytes is > 0 and < 6UL << 20)
                problems.Add($"{who}: memory limit {app.MemoryLimitBytes} is below Docker's minimum of 6 MiB");
            if (!Enum.IsDefined(app.Priority)) problems.Add($"{who}: unknown priority class {(int)app.Priority}");
            if (!Enum.IsDefined(app.Restart)) problems.Add($"{who}: unknown restart policy {(int)app.Restart}");
            if (!Enum.IsDefined(app.Pull)) problems.Add($"{who}: unknown pull policy {(int)app.Pull}");
            foreach (var p in app.Ports)
            {
                if (p.ContainerPort is 0 or > 65535 || p.HostPort > 65535)
                    problems.Add($"{who}: port mapping {p.HostPort}->{p.ContainerPort} is out of range");
                if (p.Protocol is not ("" or "tcp" or "udp"))
                    problems.Add($"{who}: port protocol '{p.Protocol}' is neither tcp nor udp");
            }
            foreach (var v in app.Volumes)
                if (string.IsNullOrEmpty(v.Source) || !v.Target.StartsWith('/'))
                    problems.Add($"{who}: volume '{v.Source}:{v.Target}' needs a source and an absolute target");
        }
        return problems;
    }
}
