namespace Infera.Packaging;

/// <summary>
/// A model package's <c>config.json</c> as read by <see cref="ModelConfigReader"/> (seed 003 §4.1.2 table 4-1,
/// MISSION R-M2), with defaults applied and known misspellings corrected.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>
    /// The engine in canonical spelling (see <see cref="ModelTypes"/>; <c>Custom</c> becomes <c>Image</c>), or the
    /// text as written when it is not a known engine (the config is then invalid). Empty when absent.
    /// </summary>
    public required string ModelType { get; init; }

    /// <summary>The <c>model_algorithm</c>, e.g. <c>object_detection</c>; empty when absent.</summary>
    public required string ModelAlgorithm { get; init; }

    /// <summary>
    /// The <c>runtime</c>, e.g. <c>python3.6</c> (in table 2-2's spelling when it matches case-insensitively, else as
    /// written), or null when absent; table 2-2's default is python2.7.
    /// </summary>
    public string? Runtime { get; init; }

    /// <summary>The <c>metrics</c>, or null when absent.</summary>
    public ModelMetrics? Metrics { get; init; }

    /// <summary>The declared APIs in file order; empty when <c>apis</c> is absent.</summary>
    public IReadOnlyList<ModelApi> Apis { get; init; } = [];

    /// <summary>The dependency groups in file (install) order; empty when absent.</summary>
    public IReadOnlyList<DependencyGroup> Dependencies { get; init; } = [];

    /// <summary>The health probe, or null when absent.</summary>
    public HealthCheck? Health { get; init; }

    /// <summary>
    /// The readiness probe (<c>readiness_health</c>, same shape as table 4-8; seed 003 §2.2.3 "就绪探针"), or null when
    /// absent. A failing readiness probe takes the instance out of the gateway's pool until it succeeds again.
    /// </summary>
    public HealthCheck? ReadinessHealth { get; init; }

    /// <summary>
    /// The startup probe (<c>startup_health</c>; seed 003 §2.2.3 "启动探针"), or null when absent. Until it succeeds no
    /// other probe runs; when it fails <see cref="HealthCheck.FailureThreshold"/> times in a row the instance failed.
    /// </summary>
    public HealthCheck? StartupHealth { get; init; }

    /// <summary>
    /// The custom engine's start command (<c>cmd</c>, seed 003 §2.2.3 "启动命令"), run with <c>/bin/sh -c</c> in the model
    /// directory; null when absent (always null for non-custom engines, which warn and ignore it).
    /// </summary>
    public string? Command { get; init; }

    /// <summary>
    /// The custom engine's protocol (<c>protocol</c>: <c>http</c> or <c>https</c>, lower case; seed 003 table 2-8
    /// "容器调用接口"), or null when absent (<see cref="CustomEngine.DefaultProtocol"/> then applies).
    /// </summary>
    public string? Protocol { get; init; }

    /// <summary>
    /// The custom engine's declared port (<c>port</c>, 1..65535; seed 003 table 2-8), or null when absent
    /// (<see cref="CustomEngine.DefaultPort"/>, 8080). Infera runs several instances on one host, so each instance
    /// listens on the port given in its <c>PORT</c> environment variable instead (see <see cref="CustomEngine"/>).
    /// </summary>
    public int? Port { get; init; }

    /// <summary>
    /// The ONNX engine's <c>dynamic_batching</c> (after Triton's), or null when absent (each request runs on its own).
    /// Always null for other engines, which warn and ignore it.
    /// </summary>
    public DynamicBatching? DynamicBatching { get; init; }

    /// <summary>
    /// The ONNX engine's <c>feature_order</c>: how predict-analysis records map to an input tensor; null when absent.
    /// </summary>
    public FeatureOrder? FeatureOrder { get; init; }

    /// <summary>
    /// The ONNX engine's <c>inputs</c> in file order: declared by the author, or filled in from the model at import
    /// (<see cref="OnnxConfigCompletion"/>); empty when absent.
    /// </summary>
    public IReadOnlyList<TensorSpec> Inputs { get; init; } = [];

    /// <summary>The ONNX engine's <c>outputs</c>, like <see cref="Inputs"/>.</summary>
    public IReadOnlyList<TensorSpec> Outputs { get; init; } = [];

    /// <summary>The <c>swr_location</c> image reference (custom engines only), or null when absent.</summary>
    public string? SwrLocation { get; init; }

    /// <summary>
    /// The document re-serialised as strict JSON: comments and trailing commas removed, property names, values
    /// and order otherwise exactly as written (misspellings are not corrected here).
    /// </summary>
    public required string NormalizedJson { get; init; }

    /// <summary>True for the custom engine (<c>model_type</c> Image or Custom).</summary>
    public bool IsCustomEngine => ModelTypes.IsCustom(ModelType);

    /// <summary>True for the ONNX engine (<c>model_type</c> ONNX).</summary>
    public bool IsOnnx => ModelTypes.IsOnnx(ModelType);
}
