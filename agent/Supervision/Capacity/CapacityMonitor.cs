using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Capacity;

/// <summary>
/// Node capacity for the planner. Memory = min(budget − OS reserve, MemAvailable + what our running apps count − headroom),
/// further cut by <see cref="SupervisorOptions.PressureShedFraction"/> of the running apps' memory when PSI exceeds the
/// threshold or an OOM kill is reported (at most once per hysteresis period). CPU = budget − OS reserve.
/// Shrinking applies at once; growth only after it has been seen continuously for <see cref="SupervisorOptions.CapacityHysteresis"/>.
/// </summary>
public sealed class CapacityMonitor
{
    private readonly SupervisorOptions _options;
    private readonly TimeProvider _time;
    private readonly IMemoryProbe _probe;
    private readonly Lock _gate = new();
    private ulong _memoryBudget;
    private uint _cpuBudget;
    private NodeCapacity? _effective;
    private DateTimeOffset? _growthSeenSince;
    private DateTimeOffset? _lastCut;
    private ulong? _pressureCap;
    private bool _oomPending;

    public CapacityMonitor(SupervisorOptions options, TimeProvider time, IMemoryProbe probe)
    {
        _options = options;
        _time = time;
        _probe = probe;
        _memoryBudget = options.MemoryBudgetBytes;
        _cpuBudget = options.CpuBudgetMillis;
    }

    /// <summary>True when the last evaluation saw memory pressure (PSI above threshold or a recent OOM kill).</summary>
    public bool UnderPressure { get; private set; }

    /// <summary>When a pending growth of capacity will be accepted (the supervisor re-plans then).</summary>
    public DateTimeOffset? NextChangeAt { get; private set; }

    public MemorySample LastSample { get; private set; }

    /// <summary>Changes the configured budget (0 = whole host); takes effect at the next evaluation, growth with hysteresis.</summary>
    public void SetBudget(ulong memoryBytes, uint cpuMillis)
    {
        lock (_gate) { _memoryBudget = memoryBytes; _cpuBudget = cpuMillis; }
    }

    /// <summary>An OOM kill happened: counts as memory pressure at the next evaluation.</summary>
    public void ReportOom()
    {
        lock (_gate) _oomPending = true;
    }

    /// <param name="runningAppsMemory">Memory our running apps count against the budget (reservation or limit).</param>
    public NodeCapacity Evaluate(ulong runningAppsMemory)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var sample = _probe.Read();
            LastSample = sample;
            var memory = Sub(_memoryBudget == 0 ? sample.TotalBytes : _memoryBudget, _options.OsReserveMemoryBytes);
            if (_memoryBudget == 0 && sample.TotalBytes == 0) memory = ulong.MaxValue; // unknown host size: no limit from config
            if (sample.AvailableBytes > 0)
                memory = Math.Min(memory, Sub(Add(sample.AvailableBytes, runningAppsMemory), _options.MemoryHeadroomBytes));
            var cpuBudget = _cpuBudget == 0 ? (uint)Environment.ProcessorCount * 1000 : _cpuBudget;
            var cpu = cpuBudget > _options.OsReserveCpuMillis ? cpuBudget - _options.OsReserveCpuMillis : 0;

            var pressure = sample.PressureSomeAvg10 is { } p && p >= _options.PressureThresholdPercent || _oomPending;
            _oomPending = false;
            UnderPressure = pressure;
            // Nothing of ours runs: nothing to give up (a cut to zero would shed even the critical apps).
            if (pressure && runningAppsMemory > 0 && (_lastCut is null || now - _lastCut >= _options.CapacityHysteresis))
            {
                _pressureCap = (ulong)(runningAppsMemory * (1 - _options.PressureShedFraction));
                _lastCut = now;
            }
            else if (!pressure && _lastCut is { } cut && now - cut >= _options.CapacityHysteresis)
            {
                _pressureCap = null;
            }
            if (_pressureCap is { } cap) memory = Math.Min(memory, cap);

            var target = new NodeCapacity(memory, cpu);
            if (_effective is not { } effective)
            {
                _effective = target;
            }
            else
            {
                var shrunk = new NodeCapacity(Math.Min(effective.MemoryBytes, target.MemoryBytes), Math.Min(effective.CpuMillis, target.CpuMillis));
                var grows = target.MemoryBytes > shrunk.MemoryBytes || target.CpuMillis > shrunk.CpuMillis;
                if (!grows) _growthSeenSince = null;
                else _growthSeenSince ??= now;
                _effective = grows && now - _growthSeenSince >= _options.CapacityHysteresis ? target : shrunk;
                if (grows && _effective == target) _growthSeenSince = null;
            }
            NextChangeAt = _growthSeenSince + _options.CapacityHysteresis;
            return _effective.Value;
        }
    }

    private static ulong Sub(ulong a, ulong b) => a > b ? a - b : 0;

    private static ulong Add(ulong a, ulong b) => ulong.MaxValue - a < b ? ulong.MaxValue : a + b;
}
