using System.Text.Encodings.Web;
using System.Text.Json;
using Infera.Core.Documents;

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
    /// <summary>Deepest nesting of objects and arrays a config.json may have (schemas included); deeper is an error naming the line.</summary>
    public const int MaxDepth = 128;

    /// <summary>Options for parsing a config that was read by <see cref="Read(string)"/> (its normalized JSON): the same depth limit, so such a parse cannot fail.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = MaxDepth };

    private static readonly LenientJsonOptions s_readOptions = new() { MaxDepth = MaxDepth, DocumentName = "config.json" };

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Parses and validates the bytes of a config.json file: UTF-8 (with or without a byte-order mark), UTF-16 with its
    /// mark, or GBK (issue #18); bytes in none of these are one error naming the offset.
    /// </summary>
    public static ConfigReadResult Read(byte[] bytes)
    {
        var (text, encoding, error) = TextDecoding.Decode(bytes, "config.json");
        if (text is null)
        {
            return new ConfigReadResult(null, [new PackageProblem(JsonPath.Root, error!)], []);
        }

        var result = Read(text);
        return encoding is "UTF-8" ? result : result with { Warnings = [$"$: config.json is {encoding} text; it was read as such (UTF-8 is recommended).", .. result.Warnings] };
    }

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

        // Issue #20: one lenient reader turns every malformed input into an error (duplicate keys: last wins; unpaired
        // surrogates: U+FFFD; depth: bounded), so the rules below walk a tree that cannot make them throw.
        var read = LenientJson.Parse(json, s_readOptions);
        diagnostics.AddRange([], read.Warnings);

        if (read.Problem is { } problem)
        {
            diagnostics.Error(JsonPath.Root, problem.Message);
            return new ConfigReadResult(null, diagnostics.Errors, diagnostics.Warnings);
        }

        using (var document = JsonDocument.Parse(read.Root?.ToJsonString() ?? "null", DocumentOptions))
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
}
