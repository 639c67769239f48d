using System.Text.Json.Nodes;
using Infera.Core.Models;

namespace Infera.Server.Models;

/// <summary>Shapes models as the ModelArts API returns them (spec §2.2 list item, §2.3 details).</summary>
public static class ModelViews
{
    /// <summary>The list item of spec §2.2.</summary>
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

    /// <summary>The details of spec §2.3: the list fields plus source, runtime, algorithm, apis (as a JSON string), config, health, dependencies.</summary>
    public static JsonObject Details(ModelRecord m)
    {
        var item = ListItem(m);
        JsonNode? config = null;
        if (m.ConfigJson.Length > 0)
        {
            config = JsonNode.Parse(m.ConfigJson);
        }

        item["source_location"] = m.SourceLocation;
        item["runtime"] = m.Runtime;
        item["model_algorithm"] = m.ModelAlgorithm;
        item["execution_code"] = m.ModelDirectory.Length > 0 ? Path.Combine(m.ModelDirectory, "customize_service.py") : "";
        item["model_metrics"] = config?["metrics"]?.ToJsonString() ?? "";
        item["apis"] = config?["apis"]?.ToJsonString() ?? "[]";
        item["config"] = m.ConfigJson;
        item["dependencies"] = config?["dependencies"]?.DeepClone() ?? new JsonArray();
        item["health"] = config?["health"]?.DeepClone();
        item["input_params"] = new JsonArray();
        item["output_params"] = new JsonArray();
        item["model_labels"] = new JsonArray();
        item["labels_map"] = new JsonObject { ["labels"] = new JsonArray() };
        item["update_at"] = m.UpdatedAt;
        if (m.ErrorMessage.Length > 0)
        {
            item["error_msg"] = m.ErrorMessage;
        }

        return item;
    }
}
