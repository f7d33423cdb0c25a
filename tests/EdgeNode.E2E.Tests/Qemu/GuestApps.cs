namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>One container the agent manages in the guest (label io.edgenode.managed), as docker inspect shows it.</summary>
public sealed record GuestContainer(string App, string Id, string State, string StartedAt, string Image)
{
    public bool Running => State == "running";

    /// <summary>The agent's containers by app name (docker inspect in the guest; the engine must answer).</summary>
    public static async Task<Dictionary<string, GuestContainer>> ListAsync(GuestControl control)
    {
        const string script = """
            for id in $(docker ps -aq --filter label=io.edgenode.managed); do
              docker inspect -f '{{index .Config.Labels "io.edgenode.app"}}|{{.Id}}|{{.State.Status}}|{{.State.StartedAt}}|{{.Config.Image}}' "$id"
            done
            """;
        var output = await control.RunAsync(script, TimeSpan.FromSeconds(120));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('|'))
            .Where(p => p.Length == 5)
            .Select(p => new GuestContainer(p[0], p[1], p[2], p[3], p[4]))
            .GroupBy(c => c.App)
            .ToDictionary(g => g.Key, g => g.First());
    }
}
