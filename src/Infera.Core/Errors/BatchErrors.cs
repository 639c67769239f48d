namespace Infera.Core.Errors;

/// <summary>The batch-service deploy errors of spec §4 (kept apart from <see cref="Errors"/> so issue #4 adds a file only).</summary>
public static class BatchErrors
{
    /// <summary>400 ModelArts.3514: the model cannot take batch inputs (no request schema, or the <c>undefined</c> mode).</summary>
    public static InferaException ModelWithoutInput(string modelId, string reason) =>
        new(400, "ModelArts.3514", $"Model {modelId} cannot be used by a batch service: {reason}");

    /// <summary>400 ModelArts.3551: an object-store path of a batch service does not exist (or is not usable).</summary>
    public static InferaException PathNotFound(string parameter, string path, string reason) =>
        new(400, "ModelArts.3551", $"Parameter {parameter}:{path} is invalid: {reason}");

    /// <summary>400 ModelArts.3572: an object-store URL of a batch service is malformed.</summary>
    public static InferaException InvalidObsUrl(string parameter, string? path) =>
        new(400, "ModelArts.3572", $"Parameter {parameter}:{path} is not a valid OBS URL: use obs://<bucket>/<folder>/ or s3://<bucket>/<folder>/.");
}
