namespace EdgeNode.Hal.Boot;

/// <summary>Why this start happened. Values 0..4 match the wire contract's BootReason.</summary>
public enum BootReason
{
    /// <summary>Not determined.</summary>
    Unknown = 0,
    /// <summary>No state at all: a fresh disk or a factory reset.</summary>
    FirstBoot = 1,
    /// <summary>The agent stopped cleanly last time (the clean-stop marker was present).</summary>
    CleanStop = 2,
    /// <summary>The machine rebooted without a clean stop and without a watchdog flag: power loss or a crash.</summary>
    PowerLoss = 3,
    /// <summary>The hardware watchdog reset the machine (WDIOC_GETBOOTSTATUS has WDIOF_CARDRESET).</summary>
    Watchdog = 4,
    /// <summary>The agent process died or hung and was restarted within the same boot (same kernel boot id), e.g. by
    /// systemd's WatchdogSec. Report it as <see cref="PowerLoss"/> where only the contract's values exist.</summary>
    AgentRestart = 5,
}
