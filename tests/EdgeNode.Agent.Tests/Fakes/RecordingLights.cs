using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Fakes;

internal sealed class RecordingLights : IStatusLights
{
    private readonly List<UnitState> _shown = [];

    public List<TimeSpan> Identifies { get; } = [];

    public UnitState? Current { get; private set; }

    public IReadOnlyList<UnitState> Distinct { get { lock (_shown) { return _shown.ToArray(); } } }

    public void Show(UnitState state)
    {
        lock (_shown)
        {
            if (Current != state)
            {
                _shown.Add(state);
            }

            Current = state;
        }
    }

    public void Identify(TimeSpan duration)
    {
        lock (Identifies)
        {
            Identifies.Add(duration);
        }
    }

    public void Pump()
    {
    }
}
