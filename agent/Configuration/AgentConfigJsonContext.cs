using System.Text.Json.Serialization;

namespace EdgeNode.Agent.Configuration;

/// <summary>Source-generated JSON for the config file: camelCase keys, comments and trailing commas allowed,
/// unknown keys rejected (a typo is an error that names the key, not a silently ignored setting).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(AgentOptions))]
internal sealed partial class AgentConfigJsonContext : JsonSerializerContext
{
}
