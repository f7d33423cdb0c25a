namespace EdgeNode.Hub.Rollouts;

/// <summary>
/// POST /api/rollouts. <see cref="Files"/> is a spec (as POST /api/spec), or null with <see cref="FromSpecDirectory"/> to use
/// the hub's --spec-dir. <see cref="Waves"/>: sizes "N" (slots), "P%" (of the participating slots, rounded up) or "rest";
/// whatever the listed waves leave over becomes a last wave. Default: 1, 10%, rest.
/// </summary>
public sealed record RolloutRequest(
    Dictionary<string, string>? Files = null,
    string? Source = null,
    string? Tenant = null,
    List<string>? Waves = null,
    double SoakSeconds = 300,
    RolloutSelector? Selector = null,
    bool AutoRollback = true,
    bool FromSpecDirectory = false);
