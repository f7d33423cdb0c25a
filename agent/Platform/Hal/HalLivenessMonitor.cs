using EdgeNode.Hal.Liveness;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary><see cref="ILivenessMonitor"/> over the HAL's <see cref="LivenessRegistry"/> (which gates the watchdog feeder).</summary>
public sealed class HalLivenessMonitor(LivenessRegistry registry) : ILivenessMonitor
{
    public LivenessRegistry Registry => registry;

    public ILivenessCheck Register(string name, TimeSpan deadline) => new Check(registry.Register(name, deadline));

    private sealed class Check(LivenessHandle handle) : ILivenessCheck
    {
        public string Name => handle.Name;

        public void Tick() => handle.Tick();
    }
}
