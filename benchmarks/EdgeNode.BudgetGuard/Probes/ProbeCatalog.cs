namespace EdgeNode.BudgetGuard.Probes;

/// <summary>Every probe the budget file may name.</summary>
public sealed class ProbeCatalog
{
    private readonly Dictionary<string, IProbe> _probes;

    public ProbeCatalog(IEnumerable<IProbe> probes) => _probes = probes.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static ProbeCatalog Default { get; } = new(
    [
        new FileSizeProbe(),
        new HeartbeatPayloadProbe(),
        new HeartbeatDatagramProbe(),
        new HeartbeatWireProbe(),
        new PowerFailProbe(),
        new RoundTripRatioProbe(),
        new AgentIdleRssProbe(),
        new HubDevicesRssProbe(),
    ]);

    /// <summary>This catalog with <paramref name="probe"/> in place of the probe of the same name.</summary>
    public ProbeCatalog With(IProbe probe) => new(_probes.Values.Where(p => p.Name != probe.Name).Append(probe));

    public IReadOnlySet<string> Names => _probes.Keys.ToHashSet(StringComparer.Ordinal);

    public IProbe this[string name] => _probes[name];
}
