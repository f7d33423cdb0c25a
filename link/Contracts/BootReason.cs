namespace EdgeNode.Link.Contracts;

/// <summary>Why the unit's last boot happened, as the HAL determined it.</summary>
public enum BootReason
{
    Unknown = 0,
    /// <summary>No previous boot on record (fresh disk).</summary>
    FirstBoot = 1,
    /// <summary>The agent stopped cleanly last time (clean-stop marker present).</summary>
    CleanStop = 2,
    /// <summary>No clean-stop marker and no watchdog flag: power loss or crash.</summary>
    PowerLoss = 3,
    /// <summary>The hardware watchdog reset the unit (WDIOF_CARDRESET).</summary>
    Watchdog = 4,
}
