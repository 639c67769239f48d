using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Packaging;

namespace Infera.Server.Models;

/// <summary>Shapes models as the ModelArts API returns them (spec §2.2 list item, §2.3 details).</summary>
public static class ModelViews
{
    /// <summary>The list item of spec §2.2.</summary>
    /// <param name="m">The model version.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject ListItem(ModelRecord m) => new()
    {
        ["model_id"] = m.Id,
        ["model_name"] = m.Name,
        ["model_version"] = m.Version,
        ["model_status"] = m.Status,
        ["model_type"] = m.ModelType,
        ["model_size"] = m.SizeBytes,
        ["description"] = m.Description,
        ["tenant"] = m.DomainId,
        ["project"] = m.ProjectId,
        ["owner"] = m.OwnerId,
        ["create_at"] = m.CreatedAt,
        ["workspace_id"] = "0",
        ["model_source"] = "custom",
        ["install_type"] = new JsonArray(m.InstallTypes.Select(t => (JsonNode?)t).ToArray()),
        ["market_flag"] = false,
        ["publishable_flag"] = true,
        ["tunable"] = false,
        ["specification"] = new JsonObject(),
    };

    /// <summary>
    /// The details of spec §2.3 and MISSION R-M7: the list fields plus source, runtime, algorithm, <c>apis</c> (a JSON
    /// string), <c>input_params</c>/<c>output_params</c> rendered from the apis' JSON Schemas, metrics (a JSON string,
    /// numbers as written), dependencies, the probes (<c>health</c>, <c>readiness_health</c>, <c>startup_health</c> with
    /// numbers as strings, as ModelArts sends them), <c>cmd</c> for custom engines, <c>inputs</c>/<c>outputs</c> (OIP tensors
    /// <c>{name, datatype, shape}</c>), <c>dynamic_batching</c> and <c>feature_order</c> for ONNX models, and the associated services
    /// (<c>services</c>, an Infera extension: <c>service_id</c>, <c>service_name</c>, <c>infer_type</c>, <c>status</c>).
    /// </summary>
    /// <param name="m">The model version.</param>
    /// <param name="services">The services whose config uses it.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Details(ModelRecord m, IReadOnlyList<ServiceRecord> services)
    {
        var item = ListItem(m);
        JsonNode? config = m.ConfigJson.Length > 0 ? JsonNode.Parse(m.ConfigJson, documentOptions: ModelConfigReader.DocumentOptions) : null;
        var parsed = m.ConfigJson.Length > 0 ? ModelConfigReader.Read(m.ConfigJson).Config : null;

        item["source_location"] = m.SourceLocation;
        item["runtime"] = m.Runtime;
        item["model_algorithm"] = m.ModelAlgorithm;
        item["execution_code"] = m.ModelDirectory.Length > 0 && !ModelTypes.IsCustom(m.ModelType) && !ModelTypes.IsOnnx(m.ModelType) ? Path.Combine(m.ModelDirectory, ModelPackageInspector.ServiceScriptName) : "";
        item["model_metrics"] = config?["metrics"]?.ToJsonString() ?? "";
        item["apis"] = config?["apis"]?.ToJsonString() ?? "[]";
        item["config"] = m.ConfigJson;
        item["dependencies"] = config?["dependencies"]?.DeepClone() ?? new JsonArray();
        item["health"] = Probe(parsed?.Health);
        item["readiness_health"] = Probe(parsed?.ReadinessHealth);
        item["startup_health"] = Probe(parsed?.StartupHealth);
        if (parsed is { IsCustomEngine: true })
        {
            item["cmd"] = parsed.Command ?? "";
            item["protocol"] = parsed.Protocol ?? CustomEngine.DefaultProtocol;
            item["port"] = parsed.Port ?? CustomEngine.DefaultPort;
        }

        if (parsed is { IsOnnx: true })
        {
            // The model's tensors (filled in at import from the model itself), in Open Inference Protocol terms.
            item["inputs"] = TensorSpec.ToJson(parsed.Inputs);
            item["outputs"] = TensorSpec.ToJson(parsed.Outputs);
            item["dynamic_batching"] = parsed.DynamicBatching is { } b
                ? new JsonObject
                {
                    ["max_batch_size"] = b.MaxBatchSize,
                    ["preferred_batch_size"] = new JsonArray([.. b.PreferredBatchSizes.Select(size => (JsonNode?)size)]),
                    ["max_queue_delay_microseconds"] = b.MaxQueueDelayMicroseconds,
                }
                : null;
            item["feature_order"] = parsed.FeatureOrder is { } order
                ? new JsonObject { ["input"] = order.Input, ["fields"] = new JsonArray([.. order.Fields.Select(f => (JsonNode?)f)]) }
                : null;
        }

        if (m.TemplateId.Length > 0)
        {
            item["template"] = new JsonObject { ["template_id"] = m.TemplateId, ["infer_format"] = m.InferFormat };
        }

        item["infer_format"] = m.InferFormat.Length > 0 ? m.InferFormat : null;
        item["dynamic_load"] = m.DynamicLoad;
        var (inputs, outputs) = Params(parsed);
        item["input_params"] = inputs;
        item["output_params"] = outputs;
        item["model_labels"] = new JsonArray();
        item["labels_map"] = new JsonObject { ["labels"] = new JsonArray() };
        item["update_at"] = m.UpdatedAt;
        item["services"] = new JsonArray(services.Select(s => (JsonNode?)new JsonObject
        {
            ["service_id"] = s.Id,
            ["service_name"] = s.Name,
            ["infer_type"] = s.InferType,
            ["status"] = s.Status,
        }).ToArray());
        if (m.ErrorMessage.Length > 0)
        {
            item["error_msg"] = m.ErrorMessage;
        }

        return item;
    }

    /// <summary>
    /// One InferParam (spec §2.1) per top-level property of each api's request and response schema:
    /// <c>url</c>, <c>method</c>, <c>protocol</c>, <c>param_name</c>, <c>param_type</c> (integer → int, number → float,
    /// string with format date/date-time → date/timestamp, object/array → object, file, string, boolean),
    /// <c>min</c>/<c>max</c> from minimum/maximum, and <c>param_desc</c> (the property's description, else its JSON Schema).
    /// </summary>
    /// <param name="config">The parsed config, or null.</param>
    /// <returns>The input and output parameter arrays.</returns>
    public static (JsonArray Inputs, JsonArray Outputs) Params(ModelConfig? config)
    {
        var inputs = new JsonArray();
        var outputs = new JsonArray();
        var protocol = config is { IsCustomEngine: true } ? config.Protocol ?? CustomEngine.DefaultProtocol : "https";
        foreach (var api in config?.Apis ?? [])
        {
            AddParams(inputs, api, api.RequestSchema, protocol);
            AddParams(outputs, api, api.ResponseSchema, protocol);
        }

        return (inputs, outputs);
    }

    private static void AddParams(JsonArray target, ModelApi api, JsonElement? schema, string protocol)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } s || !s.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var p = property.Value;
            var param = new JsonObject
            {
                ["url"] = api.Url,
                ["method"] = api.Method,
                ["protocol"] = protocol,
                ["param_name"] = property.Name,
                ["param_type"] = ParamType(p),
            };
            if (p.ValueKind == JsonValueKind.Object)
            {
                if (p.TryGetProperty("minimum", out var min) && min.ValueKind == JsonValueKind.Number)
                {
                    param["min"] = JsonNode.Parse(min.GetRawText());
                }

                if (p.TryGetProperty("maximum", out var max) && max.ValueKind == JsonValueKind.Number)
                {
                    param["max"] = JsonNode.Parse(max.GetRawText());
                }
            }

            param["param_desc"] = p.ValueKind == JsonValueKind.Object && p.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()
                : p.GetRawText();
            target.Add(param);
        }
    }

    private static string ParamType(JsonElement property)
    {
        if (property.ValueKind != JsonValueKind.Object || !property.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return "object";
        }

        var format = property.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        return type.GetString() switch
        {
            "integer" => "int",
            "number" => "float",
            "string" when format == "date" => "date",
            "string" when format == "date-time" => "timestamp",
            "object" or "array" => "object",
            { } other => other,
            _ => "object",
        };
    }

    // ModelHealth of spec §2.1: numbers as strings.
    private static JsonObject? Probe(HealthCheck? check)
    {
        if (check is null)
        {
            return null;
        }

        static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
        var probe = new JsonObject { ["check_method"] = check.CheckMethod };
        if (check.Url is not null)
        {
            probe["url"] = check.Url;
        }

        if (check.Command is not null)
        {
            probe["command"] = check.Command;
        }

        if (check.Protocol is not null)
        {
            probe["protocol"] = check.Protocol;
        }

        probe["initial_delay_seconds"] = Text(check.InitialDelaySeconds ?? 0);
        probe["timeout_seconds"] = Text(check.TimeoutSeconds);
        probe["period_seconds"] = Text(check.PeriodSeconds);
        probe["failure_threshold"] = Text(check.FailureThreshold);
        return probe;
    }
}
