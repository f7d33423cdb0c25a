using EdgeNode.Hal.Systemd;

namespace EdgeNode.Agent.Platform.Hal;

/// <summary><see cref="IServiceNotifier"/> over the HAL's <see cref="SystemdNotifier"/> (no-op outside systemd).</summary>
public sealed class HalServiceNotifier(SystemdNotifier notifier) : IServiceNotifier
{
    public void Ready(string status) => notifier.Ready(status);

    public void Status(string status) => notifier.Status(status);

    public void Stopping(string status)
    {
        notifier.Stopping();
        notifier.Status(status);
    }
}
