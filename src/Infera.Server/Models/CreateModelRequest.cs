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

    /// <summary>Workspace; only <c>"0"</c> exists.</summary>
    public string? WorkspaceId { get; set; }
}
