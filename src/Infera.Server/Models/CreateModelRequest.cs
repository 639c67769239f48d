namespace Infera.Server.Models;

/// <summary>Body of <c>POST /v1/{project_id}/models</c> (spec §2.1); snake_case on the wire.</summary>
public sealed class CreateModelRequest
{
    /// <summary>1–64 letters, Chinese characters, digits, <c>-</c>, <c>_</c>.</summary>
    public string? ModelName { get; set; }

    /// <summary><c>A.B.C</c>; default <c>0.0.1</c> (seed 003 table 2-3).</summary>
    public string? ModelVersion { get; set; }

    /// <summary><c>obs://bucket/folder/</c> or <c>s3://…</c> holding the package.</summary>
    public string? SourceLocation { get; set; }

    /// <summary>Engine; when omitted the package's config.json decides.</summary>
    public string? ModelType { get; set; }

    /// <summary>Runtime; when omitted the package's config.json decides.</summary>
    public string? Runtime { get; set; }

    /// <summary>At most 100 characters, none of <c>&amp;!'"&lt;&gt;=</c>.</summary>
    public string? Description { get; set; }

    /// <summary><c>real-time</c> and/or <c>batch</c>; default both.</summary>
    public List<string>? InstallType { get; set; }

    /// <summary>
    /// Dynamic loading (seed 003 table 2-8 "动态加载", MISSION R-M9): the model files stay in the object store and are
    /// fetched when an instance starts; required when a file is larger than 5 GiB. Default false.
    /// </summary>
    public bool? DynamicLoad { get; set; }

    /// <summary>Workspace; only <c>"0"</c> exists.</summary>
    public string? WorkspaceId { get; set; }

    /// <summary>
    /// Template mode (spec §2.1, seed 003 §2.2.2): with <c>model_type</c> <c>Template</c> the model folder is
    /// <c>template_inputs[input_id=model].input</c> and config.json is generated from the template.
    /// </summary>
    public TemplateRequest? Template { get; set; }
}

/// <summary>The <c>template</c> object of a template import (spec §2.1).</summary>
public sealed class TemplateRequest
{
    /// <summary>A template id of <c>GET /v1/{project_id}/models/templates</c>.</summary>
    public string? TemplateId { get; set; }

    /// <summary>An input/output mode replacing the template's own, when the template allows it.</summary>
    public string? InferFormat { get; set; }

    /// <summary>The inputs; the one with <c>input_id</c> <c>model</c> (or the only one) is the model folder.</summary>
    public List<TemplateInput>? TemplateInputs { get; set; }
}

/// <summary>One template input: an id and an object-store folder.</summary>
public sealed class TemplateInput
{
    /// <summary>Unique within the request (ModelArts.3039 otherwise).</summary>
    public string? InputId { get; set; }

    /// <summary>The folder, e.g. <c>obs://bucket/model/</c>.</summary>
    public string? Input { get; set; }
}

/// <summary>Body of <c>PUT /v1/{project_id}/models/{model_id}</c>: the editable fields of a version.</summary>
public sealed class UpdateModelRequest
{
    /// <summary>New description (≤ 100 characters, none of <c>&amp;!'"&lt;&gt;=</c>).</summary>
    public string? Description { get; set; }

    /// <summary>New dependencies in the config.json shape (seed 003 table 4-6); rebuilds the environment.</summary>
    public System.Text.Json.Nodes.JsonArray? Dependencies { get; set; }
}
