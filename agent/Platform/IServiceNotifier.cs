namespace EdgeNode.Agent.Platform;

/// <summary>sd_notify: READY=1, STATUS=…, STOPPING=1 (WATCHDOG=1 is sent by the watchdog gate). No-op outside systemd.</summary>
public interface IServiceNotifier
{
    void Ready(string status);

    void Status(string status);

    void Stopping(string status);
}
