namespace Infera.Core.Services;

/// <summary><c>infer_type</c> values (spec §3.1).</summary>
public static class InferTypes
{
    /// <summary>A long-running HTTP service.</summary>
    public const string RealTime = "real-time";

    /// <summary>A batch job over object storage.</summary>
    public const string Batch = "batch";
}
