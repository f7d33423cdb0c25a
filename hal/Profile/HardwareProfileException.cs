namespace EdgeNode.Hal.Profile;

/// <summary>A hardware profile that cannot be used: names the file, the JSON key and the reason.</summary>
public sealed class HardwareProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HardwareProfileException(string file, string key, string reason, Exception? inner = null)
        : base($"hardware profile {file}: {(key.Length == 0 ? "" : key + ": ")}{reason}", inner)
    {
        File = file;
        Key = key;
        Reason = reason;
    }

    /// <summary>The profile file (or source name).</summary>
    public string File { get; }

    /// <summary>The JSON path of the offending key, e.g. "$.leds.status-red.line"; empty for file-level errors.</summary>
    public string Key { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
