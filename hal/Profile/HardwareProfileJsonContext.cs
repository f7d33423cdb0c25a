using System.Text.Json.Serialization;

namespace EdgeNode.Hal.Profile;

/// <summary>Source-generated (AOT-safe) JSON for <see cref="HardwareProfile"/>. Unknown keys are errors, so a typo
/// ("activelow") is reported instead of silently ignored; comments and trailing commas are allowed.</summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(HardwareProfile))]
internal sealed partial class HardwareProfileJsonContext : JsonSerializerContext
{
}
