namespace EdgeNode.Agent.Configuration;

/// <summary>The fleet enrollment credential burned into the factory image (same for every unit of a model).</summary>
public sealed class EnrollmentOptions
{
    /// <summary>The fleet PSK identity used for POST /enroll.</summary>
    public string? Identity { get; set; }

    /// <summary>The fleet PSK: "hex:0011…", "base64:…", or plain text (its UTF-8 bytes).</summary>
    public string? Key { get; set; }

    /// <summary>Optional slot path (site/line/cell) the installer asks for.</summary>
    public string? SlotHint { get; set; }

    /// <summary>Optional slot-scoped enrollment token that approves the unit without an operator.</summary>
    public string? Token { get; set; }
}
