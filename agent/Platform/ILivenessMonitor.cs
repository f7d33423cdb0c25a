namespace EdgeNode.Agent.Platform;

/// <summary>
/// Gates the watchdogs (hardware and systemd's WATCHDOG=1): both are fed only while every registered check has
/// ticked within its deadline. Implemented by the HAL watchdog.
/// </summary>
public interface ILivenessMonitor
{
    ILivenessCheck Register(string name, TimeSpan deadline);
}

/// <summary>One loop's liveness: call <see cref="Tick"/> every time the loop makes progress.</summary>
public interface ILivenessCheck
{
    string Name { get; }

    void Tick();
}
