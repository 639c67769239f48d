using System.Text.Json.Serialization;

namespace Infera.Cli.Profiles;

/// <summary>The content of <c>~/.infera/config.json</c>: named profiles and the one in use.</summary>
internal sealed record CliConfigFile
{
    /// <summary>The profile used when none is named (<c>--profile</c> or <c>INFERA_PROFILE</c>).</summary>
    [JsonPropertyName("current_profile")]
    public string CurrentProfile { get; init; } = ProfileStore.DefaultProfileName;

    /// <summary>The profiles by name.</summary>
    [JsonPropertyName("profiles")]
    public Dictionary<string, CliProfile> Profiles { get; init; } = new(StringComparer.Ordinal);
}
