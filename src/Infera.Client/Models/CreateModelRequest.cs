using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>Body of <c>POST /v1/{project_id}/models</c> (import a model package from the object store).</summary>
public sealed record CreateModelRequest
{
    /// <summary>Model name: 1-64 letters, digits, <c>-</c> or <c>_</c>.</summary>
    [JsonPropertyName("model_name")]
    public required string ModelName { get; init; }

    /// <summary>Version <c>A.B.C</c>, e.g. <c>1.0.0</c>.</summary>
    [JsonPropertyName("model_version")]
    public required string ModelVersion { get; init; }

    /// <summary>Engine type, e.g. <c>PyTorch</c>, <c>Scikit_Learn</c>, <c>XGBoost</c>, <c>TensorFlow</c>.</summary>
    [JsonPropertyName("model_type")]
    public required string ModelType { get; init; }

    /// <summary>The package folder, <c>obs://bucket/path/</c>.</summary>
    [JsonPropertyName("source_location")]
    public required string SourceLocation { get; init; }

    /// <summary>Runtime image name, optional.</summary>
    [JsonPropertyName("runtime")]
    public string? Runtime { get; init; }

    /// <summary>Free-text description, at most 100 characters.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Where the inference code is, when not in the package's default place.</summary>
    [JsonPropertyName("execution_code")]
    public string? ExecutionCode { get; init; }

    /// <summary>Service types the model may be deployed as (<c>real-time</c>, <c>batch</c>); default all.</summary>
    [JsonPropertyName("install_type")]
    public List<string>? InstallType { get; init; }

    /// <summary>
    /// Dynamic loading (R-M9): the files stay in the object store and are fetched when an instance starts. Null (the
    /// default) sends nothing, which means false.
    /// </summary>
    [JsonPropertyName("dynamic_load")]
    public bool? DynamicLoad { get; init; }

    /// <summary>
    /// Template mode (seed 003 §2.2.2): set <see cref="ModelType"/> to <c>Template</c>; the model folder is the
    /// template input <c>model</c>. Null for a package with its own config.json.
    /// </summary>
    [JsonPropertyName("template")]
    public ModelTemplateSpec? Template { get; init; }

    /// <summary>Workspace id; the server defaults to <c>"0"</c>.</summary>
    [JsonPropertyName("workspace_id")]
    public string? WorkspaceId { get; init; }
}

/// <summary>The <c>template</c> object of a template import.</summary>
public sealed record ModelTemplateSpec
{
    /// <summary>A template id of <c>GET /v1/{project_id}/models/templates</c>, e.g. <c>pytorch-py36-general</c>.</summary>
    [JsonPropertyName("template_id")]
    public required string TemplateId { get; init; }

    /// <summary>The input/output mode replacing the template's (object_detection, image_processing, predict_analysis, undefined), or null.</summary>
    [JsonPropertyName("infer_format")]
    public string? InferFormat { get; init; }

    /// <summary>The inputs: <c>[{"input_id": "model", "input": "obs://bucket/folder/"}]</c>.</summary>
    [JsonPropertyName("template_inputs")]
    public required IReadOnlyList<ModelTemplateInput> TemplateInputs { get; init; }
}

/// <summary>One template input.</summary>
/// <param name="InputId">The input id (<c>model</c> for the model folder).</param>
/// <param name="Input">The object-store folder.</param>
public sealed record ModelTemplateInput(
    [property: JsonPropertyName("input_id")] string InputId,
    [property: JsonPropertyName("input")] string Input);
