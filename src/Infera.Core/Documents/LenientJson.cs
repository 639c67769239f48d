using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infera.Core.Documents;

/// <summary>
/// The one reader of user-supplied JSON (issue #20 "no catch-all for user input", issue #18 "lenient parsing"):
/// config.json, API request bodies, manifest lines. It reads what Python's <c>json</c> module (ModelArts' reader)
/// accepts and a little more, and turns everything else into one <see cref="JsonProblem"/> naming the line and
/// position, so no code after it can meet malformed input:
/// <list type="bullet">
/// <item><c>//</c> and <c>/* */</c> comments and trailing commas are skipped;</item>
/// <item>a key written twice keeps its last value (in the place of the first, as a Python <c>dict</c> does), with a warning;</item>
/// <item>an unpaired surrogate escape such as <c>\ud800</c> (which .NET strings cannot carry into UTF-8) becomes U+FFFD, with a warning;</item>
/// <item>nesting deeper than <see cref="LenientJsonOptions.MaxDepth"/> is a problem, not a crash.</item>
/// </list>
/// The tree it returns therefore has unique keys, valid strings and bounded depth: serializing it or binding it to
/// types can fail only on types (a JSON exception), never on its shape.
/// </summary>
public static class LenientJson
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The document (a leading byte-order mark is ignored).</param>
    /// <param name="options">Depth limit and how to name the document in messages.</param>
    /// <returns>The tree (null for JSON <c>null</c> or on a problem), the problem if any, and the warnings.</returns>
    public static LenientJsonResult Parse(string text, LenientJsonOptions? options = null) =>
        Parse(Encoding.UTF8.GetBytes(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text), options);

    /// <summary>Parses UTF-8 bytes (decode other encodings first with <see cref="TextDecoding.Decode"/>).</summary>
    public static LenientJsonResult Parse(ReadOnlySpan<byte> utf8, LenientJsonOptions? options = null)
    {
        options ??= LenientJsonOptions.Default;
        if (utf8.StartsWith("\xEF\xBB\xBF"u8))
        {
            utf8 = utf8[3..];
        }

        var warnings = new List<string>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = options.MaxDepth,
        });
        try
        {
            if (!reader.Read())
            {
                return new LenientJsonResult(null, new JsonProblem("$", 1, 1, $"{options.DocumentName} is empty; a JSON value is required."), warnings);
            }

            var root = ReadValue(ref reader, "$", warnings);
            // Anything after the value (other than comments and white space) is an error the reader reports.
            if (reader.Read())
            {
                return new LenientJsonResult(null, Problem(options, reader, "there is more text after the JSON value"), warnings);
            }

            return new LenientJsonResult(root, null, warnings);
        }
        catch (JsonException e)
        {
            return new LenientJsonResult(null, Problem(options, e), warnings);
        }
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader, string path, List<string> warnings)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = ReadString(ref reader, path, warnings);
                    var childPath = JsonPathOf(path, name);
                    reader.Read();
                    var value = ReadValue(ref reader, childPath, warnings);
                    if (obj.ContainsKey(name))
                    {
                        warnings.Add($"{childPath}: the key appears more than once; the last value is used.");
                    }

                    obj[name] = value;
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader, $"{path}[{index++}]", warnings));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(ReadString(ref reader, path, warnings));
            case JsonTokenType.Number:
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }

    // A string or property name. .NET refuses unpaired surrogate escapes (Python keeps them); they become U+FFFD.
    private static string ReadString(ref Utf8JsonReader reader, string path, List<string> warnings)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            var (text, replaced) = Unescape(raw);
            warnings.Add($"{path}: {replaced} unpaired surrogate escape(s) (\\uD800-\\uDFFF without its pair) were replaced by U+FFFD.");
            return text;
        }
    }

    // Unescapes a JSON string body that the reader has already validated, keeping surrogates only in pairs.
    private static (string Text, int Replaced) Unescape(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var result = new StringBuilder(text.Length);
        var replaced = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }

            var escape = text[++i];
            switch (escape)
            {
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u' when i + 4 < text.Length:
                    var unit = (char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    i += 4;
                    if (char.IsHighSurrogate(unit) && i + 6 < text.Length && text[i + 1] == '\\' && text[i + 2] == 'u'
                        && int.TryParse(text.AsSpan(i + 3, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var next) && char.IsLowSurrogate((char)next))
                    {
                        result.Append(unit).Append((char)next);
                        i += 6;
                    }
                    else if (char.IsSurrogate(unit))
                    {
                        result.Append('\uFFFD');
                        replaced++;
                    }
                    else
                    {
                        result.Append(unit);
                    }

                    break;
                default: result.Append(escape); break;
            }
        }

        return (result.ToString(), replaced);
    }

    private static string JsonPathOf(string parent, string name) =>
        name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') && !char.IsAsciiDigit(name[0])
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static JsonProblem Problem(LenientJsonOptions options, JsonException e)
    {
        // The reader's message ends with " LineNumber: n | BytePositionInLine: m."; we say it in words instead.
        var reason = e.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        reason = (cut >= 0 ? reason[..cut] : reason).Trim().TrimEnd('.');
        if (reason.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase) || reason.Contains("MaxDepth", StringComparison.Ordinal))
        {
            reason = $"objects and arrays are nested deeper than {options.MaxDepth} levels";
        }

        var line = (int)(e.LineNumber ?? 0) + 1;
        var position = (int)(e.BytePositionInLine ?? 0) + 1;
        return new JsonProblem("$", line, position, $"{options.DocumentName} is not valid JSON at line {line}, position {position}: {reason}.");
    }

    private static JsonProblem Problem(LenientJsonOptions options, Utf8JsonReader reader, string reason)
    {
        var offset = (int)reader.TokenStartIndex + 1;
        return new JsonProblem("$", 0, offset, $"{options.DocumentName} is not valid JSON at byte {offset}: {reason}.");
    }
}

/// <summary>Settings of <see cref="LenientJson"/>.</summary>
public sealed record LenientJsonOptions
{
    /// <summary>The defaults: 64 levels, "The document".</summary>
    public static readonly LenientJsonOptions Default = new();

    /// <summary>Deepest nesting of objects and arrays accepted (default 64, System.Text.Json's own default).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>How messages name the document, e.g. <c>config.json</c> or <c>The request body</c>.</summary>
    public string DocumentName { get; init; } = "The document";
}

/// <summary>What <see cref="LenientJson"/> read.</summary>
/// <param name="Root">The value; null when the document is JSON <c>null</c> or has a <paramref name="Problem"/>.</param>
/// <param name="Problem">Why the document cannot be read, or null.</param>
/// <param name="Warnings">What was tolerated, each as <c>$.path: sentence</c>.</param>
public sealed record LenientJsonResult(JsonNode? Root, JsonProblem? Problem, IReadOnlyList<string> Warnings);

/// <summary>Why a document cannot be read.</summary>
/// <param name="Path">Where (<c>$</c>: the document as a whole).</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Position">1-based byte position in the line (or in the document when <paramref name="Line"/> is 0).</param>
/// <param name="Message">One sentence naming the document, the place and the reason.</param>
public sealed record JsonProblem(string Path, int Line, int Position, string Message);
