namespace EdgeNode.Agent.Hosting;

/// <summary>
/// Process exit codes (sysexits.h values, which systemd names in <c>systemctl status</c>, e.g. "status=78/CONFIG").
/// Documented in agent/README.md.
/// </summary>
public static class AgentExitCode
{
    /// <summary>Clean stop (SIGTERM/SIGINT), or --help/--version.</summary>
    public const int Ok = 0;

    /// <summary>64 EX_USAGE: unknown or malformed command-line argument.</summary>
    public const int Usage = 64;

    /// <summary>70 EX_SOFTWARE: an unexpected internal error (a bug); systemd restarts the agent.</summary>
    public const int Software = 70;

    /// <summary>73 EX_CANTCREAT: the state directory cannot be created or written (identity, journal, desired state).</summary>
    public const int CantCreate = 73;

    /// <summary>74 EX_IOERR: the durable state or journal cannot be read or written (disk error).</summary>
    public const int IoError = 74;

    /// <summary>78 EX_CONFIG: the config file or the hardware profile is missing or invalid (the log names file, key, reason).</summary>
    public const int Config = 78;
}
