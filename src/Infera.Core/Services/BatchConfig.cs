namespace Infera.Core.Services;

/// <summary>
/// The batch-only fields of a service's single <c>config</c> item (spec §3.1 ServiceConfig, seed 003 §3.2.1
/// table 3-11), as validated at deploy: where the inputs are, where the results go, which model API is called
/// and how an input becomes a request.
/// </summary>
public sealed record BatchConfig
{
    /// <summary>Input: an object-store folder <c>obs://bucket/folder/</c> (every object under it, recursively) or a <c>.manifest</c> object.</summary>
    public required string SrcPath { get; init; }

    /// <summary>Output folder <c>obs://bucket/folder/</c>; results go to <c>infer-result-{task_id}/</c> under it.</summary>
    public required string DestPath { get; init; }

    /// <summary>The model API path called for each request: one of the model's <c>apis[].url</c>.</summary>
    public required string ReqUri { get; init; }

    /// <summary><see cref="BatchMappingTypes.File"/> (one multipart request per file) or <see cref="BatchMappingTypes.Csv"/> (one JSON request per CSV row).</summary>
    public required string MappingType { get; init; }

    /// <summary>For <c>csv</c>: the mapping rule (the request JSON Schema with an <c>index</c> per leaf) as JSON text; else null.</summary>
    public string? MappingRule { get; init; }

    /// <summary><c>""</c> (a folder) or <see cref="BatchMappingTypes.ManifestFile"/> (a manifest of sources).</summary>
    public string SrcType { get; init; } = "";
}

/// <summary>The values of <c>mapping_type</c> and <c>src_type</c> (spec §3.1).</summary>
public static class BatchMappingTypes
{
    /// <summary>One request per input file, sent as multipart/form-data under the model's file field.</summary>
    public const string File = "file";

    /// <summary>One JSON request per CSV row, built from the mapping rule.</summary>
    public const string Csv = "csv";

    /// <summary><c>src_type</c> of a manifest input.</summary>
    public const string ManifestFile = "ManifestFile";
}
