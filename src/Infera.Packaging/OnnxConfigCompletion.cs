using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infera.Packaging;

/// <summary>The outcome of <see cref="OnnxConfigCompletion.Complete"/>.</summary>
/// <param name="ConfigJson">The completed config.json text (valid only when <paramref name="Errors"/> is empty).</param>
/// <param name="Errors">Conflicts between config.json and the model, with JSON paths (<c>$.inputs[0]</c>).</param>
/// <param name="Warnings">Tolerated oddities, each <c>$.path: sentence</c> (e.g. batching configured on a model that cannot batch).</param>
public sealed record OnnxCompletion(string ConfigJson, IReadOnlyList<PackageProblem> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Completes an ONNX model's config.json with what the model itself declares, like Triton's auto-completed model
/// configuration: <c>inputs</c> and <c>outputs</c> become the model's tensors, and <c>apis</c> are generated when the
/// author wrote none. Checks that what the author did write agrees with the model.
/// </summary>
public static class OnnxConfigCompletion
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Completes <paramref name="config"/> with the model's tensors.</summary>
    /// <param name="config">The package's config.json as read (valid, engine ONNX).</param>
    /// <param name="modelInputs">The inputs the ONNX model declares, in model order.</param>
    /// <param name="modelOutputs">The outputs the ONNX model declares, in model order.</param>
    /// <returns>
    /// The completed text, errors when a declared tensor or the feature order does not fit the model, and a warning
    /// when dynamic batching is configured for a model without a dynamic batch dimension (batching is then off).
    /// </returns>
    public static OnnxCompletion Complete(ModelConfig config, IReadOnlyList<TensorSpec> modelInputs, IReadOnlyList<TensorSpec> modelOutputs)
    {
        var diagnostics = new Diagnostics();
        CheckDeclared(OnnxEngine.InputsField, config.Inputs, modelInputs, diagnostics);
        CheckDeclared(OnnxEngine.OutputsField, config.Outputs, modelOutputs, diagnostics);
        TensorSpec? featureInput = null;
        if (config.FeatureOrder is { } order)
        {
            featureInput = OnnxEngine.ResolveFeatureInput(order, modelInputs, out var problem);
            if (problem is not null)
            {
                diagnostics.Error(JsonPath.Property(JsonPath.Root, OnnxEngine.FeatureOrderField), $"feature_order does not fit the model: {problem}.");
            }
        }

        if (config.DynamicBatching is not null && OnnxEngine.BatchingProblem(modelInputs, modelOutputs) is { } reason)
        {
            diagnostics.Warn(JsonPath.Property(JsonPath.Root, OnnxEngine.DynamicBatchingField), $"dynamic batching is off: {reason}.");
        }

        var root = JsonNode.Parse(config.NormalizedJson) as JsonObject ?? [];
        root[OnnxEngine.InputsField] = TensorSpec.ToJson(modelInputs);
        root[OnnxEngine.OutputsField] = TensorSpec.ToJson(modelOutputs);
        if (config.Apis.Count == 0)
        {
            root["apis"] = GenerateApis(config.FeatureOrder, featureInput, modelInputs, modelOutputs);
        }

        return new OnnxCompletion(root.ToJsonString(s_json), diagnostics.Errors, diagnostics.Warnings);
    }

    /// <summary>
    /// The <c>apis</c> of an ONNX model whose config.json has none: one <c>POST /</c> in the predict-analysis shape,
    /// <c>{"data": {"req_data": [row, ...]}}</c> → <c>{"data": {"resp_data": [row, ...]}}</c>. A request row holds the
    /// <c>feature_order</c> fields (numbers) or, without one, one property per input tensor; an answer row one property
    /// per output tensor. Batch CSV mappings are generated from this schema.
    /// </summary>
    /// <param name="order">The feature order, or null.</param>
    /// <param name="featureInput">The input the fields go to (from <see cref="OnnxEngine.ResolveFeatureInput"/>), or null.</param>
    /// <param name="inputs">The model's inputs.</param>
    /// <param name="outputs">The model's outputs.</param>
    /// <returns>A JSON array with one api.</returns>
    public static JsonArray GenerateApis(FeatureOrder? order, TensorSpec? featureInput, IReadOnlyList<TensorSpec> inputs, IReadOnlyList<TensorSpec> outputs)
    {
        var requestRow = new JsonObject();
        if (order is not null && featureInput is not null)
        {
            foreach (var field in order.Fields)
            {
                requestRow[field] = new JsonObject { ["type"] = JsonType(featureInput.Datatype) };
            }
        }
        else
        {
            foreach (var input in inputs)
            {
                requestRow[input.Name] = RowSchema(input);
            }
        }

        var responseRow = new JsonObject();
        foreach (var output in outputs)
        {
            responseRow[output.Name] = RowSchema(output);
        }

        return
        [
            new JsonObject
            {
                ["url"] = "/",
                ["method"] = "post",
                ["request"] = new JsonObject { ["Content-type"] = "application/json", ["data"] = Envelope("req_data", requestRow) },
                ["response"] = new JsonObject { ["Content-type"] = "application/json", ["data"] = Envelope("resp_data", responseRow) },
            },
        ];
    }

    private static void CheckDeclared(string field, IReadOnlyList<TensorSpec> declared, IReadOnlyList<TensorSpec> model, Diagnostics diagnostics)
    {
        for (var i = 0; i < declared.Count; i++)
        {
            var path = JsonPath.Index(JsonPath.Property(JsonPath.Root, field), i);
            var tensor = declared[i];
            var actual = model.FirstOrDefault(m => m.Name == tensor.Name);
            if (actual is null)
            {
                diagnostics.Error(path, $"the model has no {field[..^1]} \"{tensor.Name}\"; its {field} are {string.Join(", ", model.Select(m => m.Describe()))}.");
            }
            else if (actual.Datatype != tensor.Datatype || !Compatible(actual.Shape, tensor.Shape))
            {
                diagnostics.Error(path, $"{tensor.Describe()} does not match the model, which declares {actual.Describe()}.");
            }
        }
    }

    // Same rank, and every dimension equal unless one side is dynamic (-1).
    private static bool Compatible(IReadOnlyList<long> model, IReadOnlyList<long> declared) =>
        model.Count == declared.Count && model.Zip(declared).All(p => p.First == p.Second || p.First == -1 || p.Second == -1);

    private static JsonObject RowSchema(TensorSpec tensor)
    {
        var row = tensor.RowShape;
        var description = row.Count == 0
            ? $"{tensor.Datatype} scalar of {tensor.Name}"
            : $"{tensor.Datatype} row of {tensor.Name}, shape [{string.Join(",", row.Select(d => d.ToString(CultureInfo.InvariantCulture)))}] (nested or flat)";
        return row.Count == 0
            ? new JsonObject { ["type"] = JsonType(tensor.Datatype), ["description"] = description }
            : new JsonObject { ["type"] = "array", ["description"] = description };
    }

    private static JsonObject Envelope(string listName, JsonObject row) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    [listName] = new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = new JsonArray(new JsonObject { ["type"] = "object", ["properties"] = row }),
                    },
                },
            },
        },
    };

    private static string JsonType(string datatype) => datatype switch
    {
        "BOOL" => "boolean",
        "BYTES" => "string",
        "FP16" or "FP32" or "FP64" => "number",
        _ => "integer",
    };
}
