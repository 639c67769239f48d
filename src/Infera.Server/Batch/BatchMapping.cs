using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infera.Server.Batch;

/// <summary>
/// CSV mapping rules (seed 003 §3.2.1 "映射关系" and "映射关系示例", MISSION R-B5): a copy of the request JSON Schema in
/// which each leaf of type string/number/integer/boolean carries an <c>index</c>, the 0-based CSV column it takes.
/// An index that is not a non-negative integer inside the row is ignored ("当index设置不规则不符时，最终的请求将忽略此参数").
/// </summary>
public static class BatchMapping
{
    private static readonly string[] LeafTypes = ["string", "number", "integer", "boolean"];

    /// <summary>
    /// Generates the rule for <paramref name="requestSchema"/>: one <c>index</c> per leaf, numbered in schema order
    /// from 0, exactly as the seed's example maps <c>input_1</c>…<c>input_4</c> to columns 0–3.
    /// </summary>
    /// <param name="requestSchema">The API's request <c>data</c> schema.</param>
    /// <returns>The rule (a new object).</returns>
    public static JsonObject Generate(JsonElement requestSchema)
    {
        var rule = JsonNode.Parse(requestSchema.GetRawText(), documentOptions: Packaging.ModelConfigReader.DocumentOptions) as JsonObject ?? [];
        var next = 0;
        Annotate(rule, ref next);
        return rule;
    }

    /// <summary>
    /// Checks <paramref name="rule"/> against <paramref name="requestSchema"/>: it must be a schema object, every
    /// property it names must exist in the request schema at the same place, and at least one leaf must have a valid index.
    /// </summary>
    /// <returns>Null when valid, else one sentence naming the first problem and its path.</returns>
    public static string? Validate(JsonNode? rule, JsonElement requestSchema)
    {
        if (rule is not JsonObject root)
        {
            return "the mapping rule must be a JSON Schema object like the request schema of the model API.";
        }

        var valid = 0;
        var problem = Check(root, requestSchema, "mapping_rule", ref valid);
        return problem ?? (valid == 0 ? "no field of the mapping rule has a valid \"index\" (a 0-based CSV column)." : null);
    }

    /// <summary>Builds the JSON request for one CSV row.</summary>
    /// <param name="rule">A validated rule.</param>
    /// <param name="row">The row's cells.</param>
    /// <returns>The request body.</returns>
    /// <exception cref="FormatException">A mapped cell does not parse as its field's type (the message names the column).</exception>
    public static JsonNode Build(JsonObject rule, IReadOnlyList<string> row) => BuildNode(rule, row) ?? new JsonObject();

    private static void Annotate(JsonNode? node, ref int next)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (TypeOf(schema) is { } type && LeafTypes.Contains(type))
        {
            schema["index"] = next++;
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties.ToList())
            {
                Annotate(child, ref next);
            }
        }

        switch (schema["items"])
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    Annotate(item, ref next);
                }

                break;
            case JsonObject item:
                Annotate(item, ref next);
                break;
        }
    }

    private static string? Check(JsonObject rule, JsonElement schema, string path, ref int valid)
    {
        if (rule.TryGetPropertyValue("index", out var index))
        {
            if (TypeOf(rule) is not { } type || !LeafTypes.Contains(type))
            {
                return $"{path} has an \"index\" but its type is not string, number, integer or boolean.";
            }

            if (Column(index) is not null)
            {
                valid++;
            }

            return null;
        }

        if (rule["properties"] is JsonObject properties)
        {
            if (!schema.TryGetProperty("properties", out var schemaProperties) || schemaProperties.ValueKind != JsonValueKind.Object)
            {
                return $"{path} has properties but the request schema has none there.";
            }

            foreach (var (name, child) in properties)
            {
                if (!schemaProperties.TryGetProperty(name, out var schemaChild))
                {
                    return $"{path}.{name} is not a field of the model's request schema.";
                }

                if (child is JsonObject childRule && Check(childRule, schemaChild, $"{path}.{name}", ref valid) is { } problem)
                {
                    return problem;
                }
            }
        }

        if (rule["items"] is { } items)
        {
            if (!schema.TryGetProperty("items", out var schemaItems))
            {
                return $"{path} has items but the request schema has none there.";
            }

            var ruleItems = items is JsonArray array ? array.ToList() : [items];
            for (var i = 0; i < ruleItems.Count; i++)
            {
                var schemaItem = schemaItems.ValueKind == JsonValueKind.Array
                    ? (i < schemaItems.GetArrayLength() ? schemaItems[i] : schemaItems[schemaItems.GetArrayLength() - 1])
                    : schemaItems;
                if (ruleItems[i] is JsonObject itemRule && Check(itemRule, schemaItem, $"{path}.items[{i}]", ref valid) is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    private static JsonNode? BuildNode(JsonObject rule, IReadOnlyList<string> row)
    {
        if (rule.TryGetPropertyValue("index", out var index))
        {
            return Column(index) is { } column && column < row.Count ? Convert(TypeOf(rule) ?? "string", row[column], column) : null;
        }

        if (rule["properties"] is JsonObject properties)
        {
            var result = new JsonObject();
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childRule && BuildNode(childRule, row) is { } value)
                {
                    result[name] = value;
                }
            }

            return result;
        }

        if (rule["items"] is { } items)
        {
            var result = new JsonArray();
            foreach (var item in items is JsonArray array ? array.ToList() : [items])
            {
                if (item is JsonObject itemRule && BuildNode(itemRule, row) is { } value)
                {
                    result.Add(value);
                }
            }

            return result;
        }

        return null;
    }

    private static JsonValue Convert(string type, string cell, int column)
    {
        var text = cell.Trim();
        switch (type)
        {
            case "number":
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? JsonValue.Create(number)
                    : throw new FormatException($"column {column} (\"{cell}\") is not a number.");
            case "integer":
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer)
                    ? JsonValue.Create(integer)
                    : throw new FormatException($"column {column} (\"{cell}\") is not an integer.");
            case "boolean":
                return bool.TryParse(text, out var flag) ? JsonValue.Create(flag)
                    : text == "1" ? JsonValue.Create(true)
                    : text == "0" ? JsonValue.Create(false)
                    : throw new FormatException($"column {column} (\"{cell}\") is not a boolean.");
            default:
                return JsonValue.Create(cell);
        }
    }

    private static int? Column(JsonNode? index) =>
        index is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var column) && column >= 0 ? column : null;

    private static string? TypeOf(JsonObject schema) =>
        schema["type"] is JsonValue value && value.TryGetValue<string>(out var type) ? type : null;
}
