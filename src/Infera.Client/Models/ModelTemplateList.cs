using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>Body of <c>GET /v1/{project_id}/models/templates</c> (MISSION R-M4, seed 003 §4.2).</summary>
public sealed record ModelTemplateList
{
    /// <summary>All matches, ignoring paging.</summary>
    [JsonPropertyName("total_count")]
    public int TotalCount { get; init; }

    /// <summary>Items on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The templates on this page.</summary>
    [JsonPropertyName("templates")]
    public List<ModelTemplate> Templates { get; init; } = [];
}

/// <summary>A model template: imports a folder without config.json with a fixed engine and input/output mode.</summary>
public sealed record ModelTemplate
{
    /// <summary>The id to pass as <see cref="ModelTemplateSpec.TemplateId"/>.</summary>
    [JsonPropertyName("template_id")]
    public string TemplateId { get; init; } = string.Empty;

    /// <summary>Display name.</summary>
    [JsonPropertyName("template_name")]
    public string? TemplateName { get; init; }

    /// <summary>What the template is for.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Task type, e.g. <c>Classification</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>AI engine (<c>model_type</c>), e.g. <c>PyTorch</c>.</summary>
    [JsonPropertyName("engine")]
    public string? Engine { get; init; }

    /// <summary>Runtime environment, e.g. <c>python3.6</c>.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Input/output mode: <c>object_detection</c>, <c>image_processing</c>, <c>predict_analysis</c> or <c>undefined</c>.</summary>
    [JsonPropertyName("infer_format")]
    public string? InferFormat { get; init; }

    /// <summary>Whether an import may choose another mode.</summary>
    [JsonPropertyName("infer_format_overridable")]
    public bool InferFormatOverridable { get; init; }

    /// <summary>Whether this node can run the template's engine.</summary>
    [JsonPropertyName("runnable_here")]
    public bool RunnableHere { get; init; }
}

/// <summary>Filters and paging of the template list. Every field is optional.</summary>
public sealed record ModelTemplateQuery
{
    /// <summary>Task type filter.</summary>
    public string? Type { get; init; }

    /// <summary>Engine filter.</summary>
    public string? Engine { get; init; }

    /// <summary>Environment filter.</summary>
    public string? Environment { get; init; }

    /// <summary>Keyword searched in names and descriptions.</summary>
    public string? Keyword { get; init; }

    /// <summary>Records to skip.</summary>
    public int? Offset { get; init; }

    /// <summary>Page size (server default 1000).</summary>
    public int? Limit { get; init; }
}
