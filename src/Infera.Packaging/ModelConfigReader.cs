using System.Text.Encodings.Web;
using System.Text.Json;

namespace Infera.Packaging;

/// <summary>
/// Reads a model package's <c>config.json</c> leniently and checks it against seed 003 §4.1.2 (tables 4-1 to
/// 4-8) and MISSION R-M2. Never throws on bad input: every violation is returned at once.
/// </summary>
/// <remarks>
/// Lenient as spec model-service.md §7 asks: <c>//</c> and <c>/* */</c> comments and trailing commas are
/// accepted; unknown fields and the known misspellings (<c>procotol</c>, <c>applicaton/json</c>,
/// <c>multipart/json</c>, <c>item</c> for <c>items</c>) produce warnings, not errors.
/// </remarks>
public static class ModelConfigReader
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 128,
    };

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses and validates config.json text.</summary>
    /// <param name="json">The file's text (a leading byte-order mark is ignored). Null or blank is an error.</param>
    /// <returns>
    /// The config (null when the text is not a JSON object), every error (<c>$.path</c> + one sentence) and every
    /// warning. Invalid JSON yields exactly one error at path <c>$</c> naming the line and position (1-based).
    /// </returns>
    public static ConfigReadResult Read(string json)
    {
        var diagnostics = new Diagnostics();
        if (string.IsNullOrWhiteSpace(json))
        {
            diagnostics.Error(JsonPath.Root, "config.json is empty; it must hold a JSON object.");
            return new ConfigReadResult(null, diagnostics.Errors, diagnostics.Warnings);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.TrimStart('\uFEFF'), s_documentOptions);
        }
        catch (JsonException ex)
        {
            diagnostics.Error(JsonPath.Root, DescribeSyntaxError(ex));
            return new ConfigReadResult(null, diagnostics.Errors, diagnostics.Warnings);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(
                    JsonPath.Root,
                    $"config.json must hold a JSON object, not {TextRules.Describe(root)}.");
                return new ConfigReadResult(null, diagnostics.Errors, diagnostics.Warnings);
            }

            var config = new ConfigParser(diagnostics).Parse(root, Normalize(root));
            return new ConfigReadResult(config, diagnostics.Errors, diagnostics.Warnings);
        }
    }

    private static string Normalize(JsonElement root)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_writerOptions))
        {
            root.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static string DescribeSyntaxError(JsonException ex)
    {
        // The reader's message ends with " LineNumber: n | BytePositionInLine: m."; we say it in words instead.
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            reason = reason[..cut];
        }

        reason = reason.Trim().TrimEnd('.');
        var line = (ex.LineNumber ?? 0) + 1;
        var position = (ex.BytePositionInLine ?? 0) + 1;
        return $"config.json is not valid JSON at line {line}, position {position}: {reason}.";
    }
}
