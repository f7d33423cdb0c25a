using EdgeNode.Agent.Platform;

namespace EdgeNode.Agent.Tests.Fakes;

internal sealed class FakeLiveness : ILivenessMonitor
{
    public Dictionary<string, Check> Checks { get; } = [];

    public ILivenessCheck Register(string name, TimeSpan deadline)
    {
        var check = new Check(name);
        Checks[name] = check;
        return check;
    }

    internal sealed class Check(string name) : ILivenessCheck
    {
        private int _ticks;

        public string Name => name;

        public int Ticks => Volatile.Read(ref _ticks);

        public void Tick() => Interlocked.Increment(ref _ticks);
    }
}
