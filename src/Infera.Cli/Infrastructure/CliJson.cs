using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infera.Cli.Infrastructure;

/// <summary>Serializer settings of the CLI: indented snake_case output, lenient input.</summary>
internal static class CliJson
{
    /// <summary>Options for <c>-o json</c> output and the profile file.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        WriteIndented = true,
        // Output is for terminals and scripts, not HTML: keep '+', '<', non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Options for reading files people write by hand (config.json of a model package).</summary>
    public static JsonDocumentOptions LenientDocument { get; } = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };
}
