using System.Text.Json.Serialization;

namespace EdgeNode.Agent.Lifecycle;

/// <summary>On-disk shape of the identity record (source-generated JSON; the PSK as base64).</summary>
internal sealed class IdentityRecord
{
    public string DeviceId { get; set; } = "";
    public string Psk { get; set; } = "";
    public string Slot { get; set; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(IdentityRecord))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
