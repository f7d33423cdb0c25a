using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>
/// The unit's state, derived from the link state, the supervisor's degraded reasons and local faults:
/// Fault &gt; Booting &gt; AwaitingEnrollment &gt; HubUnreachable &gt; Degraded &gt; Online.
/// Thread-safe; raises <see cref="Changed"/> outside its lock whenever the derived state or its reasons change.
/// </summary>
public sealed class UnitStatus
{
    private readonly Lock _lock = new();
    private LinkState _link = LinkState.Starting;
    private string _linkDetail = "";
    private string? _fault;
    private IReadOnlyList<string> _degraded = [];
    private UnitState _state = UnitState.Booting;

    /// <summary>(old state, new state).</summary>
    public event Action<UnitState, UnitState>? Changed;

    public UnitState State { get { lock (_lock) { return _state; } } }

    public LinkState Link { get { lock (_lock) { return _link; } } }

    public string LinkDetail { get { lock (_lock) { return _linkDetail; } } }

    public IReadOnlyList<string> DegradedReasons { get { lock (_lock) { return _degraded; } } }

    public string? Fault { get { lock (_lock) { return _fault; } } }

    public void SetLink(LinkState link, string detail = "") => Update(() => { _link = link; _linkDetail = detail; });

    public void SetFault(string? reason) => Update(() => _fault = reason);

    /// <summary>Returns true when the reasons differ from the previous ones.</summary>
    public bool SetDegraded(IReadOnlyList<string> reasons)
    {
        var changed = false;
        Update(() =>
        {
            if (!_degraded.SequenceEqual(reasons))
            {
                _degraded = reasons.ToArray();
                changed = true;
            }
        });
        return changed;
    }

    /// <summary>One short human line for systemd's STATUS= and the log.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            var text = _state switch
            {
                UnitState.Booting => "booting",
                UnitState.AwaitingEnrollment => "awaiting enrollment approval",
                UnitState.Online => "online",
                UnitState.Degraded => "degraded: " + string.Join(", ", _degraded),
                UnitState.HubUnreachable => "hub unreachable, running the last applied state",
                UnitState.Fault => "fault: " + (_fault ?? _linkDetail),
                _ => _state.ToString(),
            };
            return _linkDetail.Length > 0 && _state is not UnitState.Fault ? $"{text} ({_linkDetail})" : text;
        }
    }

    internal static UnitState Derive(LinkState link, string? fault, int degradedCount) => (link, fault, degradedCount) switch
    {
        (_, not null, _) => UnitState.Fault,
        (LinkState.Refused, _, _) => UnitState.Fault,
        (LinkState.Starting, _, _) => UnitState.Booting,
        (LinkState.AwaitingEnrollment, _, _) => UnitState.AwaitingEnrollment,
        (LinkState.Unreachable, _, _) => UnitState.HubUnreachable,
        (_, _, > 0) => UnitState.Degraded,
        _ => UnitState.Online,
    };

    private void Update(Action change)
    {
        UnitState before, after;
        string describedBefore;
        lock (_lock)
        {
            before = _state;
            describedBefore = DescribeUnlocked();
            change();
            _state = after = Derive(_link, _fault, _degraded.Count);
            if (before == after && describedBefore == DescribeUnlocked())
            {
                return;
            }
        }

        Changed?.Invoke(before, after);
    }

    private string DescribeUnlocked() => $"{_link}|{_linkDetail}|{_fault}|{string.Join(',', _degraded)}";
}
