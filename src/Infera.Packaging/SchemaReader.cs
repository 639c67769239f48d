using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infera.Packaging;

/// <summary>
/// Checks the JSON Schema held in an api's <c>request.data</c>/<c>response.data</c> (seed 003 tables 4-4/4-5)
/// and returns a normalised copy. Only what the console relies on is checked: every <c>type</c> must be a JSON
/// Schema type or <c>file</c> (the multipart file field of the seed's examples). The misspelled keyword
/// <c>item</c> (spec model-service.md §7; the seed's own examples use it) is read as <c>items</c> with a warning.
/// </summary>
internal static class SchemaReader
{
    private static readonly string[] s_types = ["string", "number", "integer", "boolean", "object", "array", "null", "file"];

    private static readonly string[] s_schemaMaps = ["properties", "patternProperties", "definitions", "$defs"];

    private static readonly string[] s_schemaLists = ["allOf", "anyOf", "oneOf"];

    private static readonly string[] s_singleSchemas = ["additionalProperties", "additionalItems", "not", "contains"];

    public static JsonElement? Read(JsonField data, Diagnostics diagnostics)
    {
        if (data.Value.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Error(
                data.Path,
                $"data must be a JSON Schema object, not {TextRules.Describe(data.Value)}.");
            return null;
        }

        // The document was read by LenientJson (unique keys, valid strings, depth within ModelConfigReader.MaxDepth), so
        // these parses, with the same depth limit, cannot fail.
        var node = JsonNode.Parse(data.Value.GetRawText(), documentOptions: ModelConfigReader.DocumentOptions)!;
        CheckSchema(node, data.Path, diagnostics);
        using var document = JsonDocument.Parse(node.ToJsonString(), ModelConfigReader.DocumentOptions);
        return document.RootElement.Clone();
    }

    private static void CheckSchema(JsonNode? node, string path, Diagnostics diagnostics)
    {
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return; // true/false are valid schemas.
        }

        if (node is not JsonObject schema)
        {
            diagnostics.Error(path, $"A JSON Schema must be an object, not {Describe(node)}.");
            return;
        }

        var itemsWritten = "items";
        if (schema["item"] is not null)
        {
            var itemPath = JsonPath.Property(path, "item");
            if (schema.ContainsKey("items"))
            {
                diagnostics.Warn(itemPath, "\"item\" is a misspelling of \"items\" and is ignored because \"items\" is also present.");
            }
            else
            {
                diagnostics.Warn(itemPath, "\"item\" is a known misspelling of \"items\" and was read as \"items\".");
                itemsWritten = "item";
                var index = schema.IndexOf("item");
                var moved = schema["item"];
                schema.RemoveAt(index);
                schema.Insert(index, "items", moved);
            }
        }

        if (schema.TryGetPropertyValue("type", out var type))
        {
            CheckType(type, JsonPath.Property(path, "type"), diagnostics);
        }

        foreach (var key in s_schemaMaps)
        {
            if (!schema.TryGetPropertyValue(key, out var map) || map is null)
            {
                continue;
            }

            var mapPath = JsonPath.Property(path, key);
            if (map is not JsonObject members)
            {
                diagnostics.Error(mapPath, $"{key} must be an object mapping names to schemas, not {Describe(map)}.");
                continue;
            }

            foreach (var (name, member) in members.ToList())
            {
                CheckSchema(member, JsonPath.Property(mapPath, name), diagnostics);
            }
        }

        foreach (var key in s_schemaLists)
        {
            if (schema.TryGetPropertyValue(key, out var list) && list is not null)
            {
                CheckSchemaList(list, JsonPath.Property(path, key), key, diagnostics);
            }
        }

        foreach (var key in s_singleSchemas)
        {
            if (schema.TryGetPropertyValue(key, out var single) && single is not null)
            {
                CheckSchema(single, JsonPath.Property(path, key), diagnostics);
            }
        }

        if (schema.TryGetPropertyValue("items", out var items) && items is not null)
        {
            // A tuple schema (array) and a single schema are both allowed; the seed's examples use the array form.
            var itemsPath = JsonPath.Property(path, itemsWritten);
            if (items is JsonArray)
            {
                CheckSchemaList(items, itemsPath, "items", diagnostics);
            }
            else
            {
                CheckSchema(items, itemsPath, diagnostics);
            }
        }
    }

    private static void CheckSchemaList(JsonNode list, string path, string key, Diagnostics diagnostics)
    {
        if (list is not JsonArray array)
        {
            diagnostics.Error(path, $"{key} must be an array of schemas, not {Describe(list)}.");
            return;
        }

        for (var i = 0; i < array.Count; i++)
        {
            CheckSchema(array[i], JsonPath.Index(path, i), diagnostics);
        }
    }

    private static void CheckType(JsonNode? type, string path, Diagnostics diagnostics)
    {
        if (type is JsonArray types)
        {
            for (var i = 0; i < types.Count; i++)
            {
                CheckType(types[i], JsonPath.Index(path, i), diagnostics);
            }

            return;
        }

        if (type is JsonValue value && value.TryGetValue<string>(out var name))
        {
            if (!s_types.Contains(name, StringComparer.Ordinal))
            {
                diagnostics.Error(
                    path,
                    $"{TextRules.Quote(name)} is not a JSON Schema type; use {TextRules.OrList(s_types)}.");
            }

            return;
        }

        diagnostics.Error(path, $"type must be a type name or an array of type names, not {Describe(type)}.");
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v when v.TryGetValue<string>(out var s) => "the string " + TextRules.Quote(s),
        _ => node.ToJsonString(),
    };
}
