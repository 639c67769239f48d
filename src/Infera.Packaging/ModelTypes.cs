namespace Infera.Packaging;

/// <summary>
/// The AI engines a model package may declare in <c>config.json</c> <c>model_type</c>, with the
/// runtimes each supports and whether this node can run them.
/// </summary>
/// <remarks>
/// Engines and runtimes come from seed 003 table 2-2 ("支持的常用引擎及其 Runtime"); MXNet, Caffe
/// and the custom engine <c>Image</c> come from seed 003 table 4-1 and MISSION R-M2. Matching is
/// case-insensitive and every method returns the canonical spelling shown in the constants.
/// </remarks>
public static class ModelTypes
{
    /// <summary>TensorFlow (table 2-2). Not runnable on this node.</summary>
    public const string TensorFlow = "TensorFlow";

    /// <summary>MXNet (table 4-1, not in table 2-2). Not runnable on this node.</summary>
    public const string MXNet = "MXNet";

    /// <summary>Caffe (table 4-1, not in table 2-2). Not runnable on this node.</summary>
    public const string Caffe = "Caffe";

    /// <summary>Spark MLlib, a machine-learning engine (table 2-2). Not runnable on this node.</summary>
    public const string SparkMLlib = "Spark_MLlib";

    /// <summary>scikit-learn, a machine-learning engine (table 2-2). Runnable here.</summary>
    public const string ScikitLearn = "Scikit_Learn";

    /// <summary>XGBoost, a machine-learning engine (table 2-2). Runnable here.</summary>
    public const string XGBoost = "XGBoost";

    /// <summary>PyTorch, a deep-learning engine (table 2-2). Runnable here.</summary>
    public const string PyTorch = "PyTorch";

    /// <summary>MindSpore (table 2-2). Not runnable on this node.</summary>
    public const string MindSpore = "MindSpore";

    /// <summary>
    /// An ONNX model served by Infera's native ONNX Runtime engine (an Infera addition, not a ModelArts engine):
    /// <c>model/</c> holds one <c>*.onnx</c> file and no <c>customize_service.py</c>; see <see cref="OnnxEngine"/>.
    /// Runnable here.
    /// </summary>
    public const string Onnx = "ONNX";

    /// <summary>
    /// The custom engine ("自定义镜像", seed 003 table 4-1); in Infera a start command, protocol and port
    /// (MISSION R-M3). <c>Custom</c> is accepted as a synonym and canonicalised to this value.
    /// </summary>
    public const string Image = "Image";

    /// <summary>The synonym of <see cref="Image"/> accepted on input (MISSION R-M2 "Image/Custom").</summary>
    public const string CustomAlias = "Custom";

    private static readonly string[] s_known =
        [TensorFlow, MXNet, Caffe, SparkMLlib, ScikitLearn, XGBoost, PyTorch, MindSpore, Onnx, Image];

    private static readonly string[] s_pythonOnly = ["python2.7", "python3.6"];

    // Seed 003 table 2-2, in the table's order. MXNet, Caffe and Image have no row there.
    private static readonly Dictionary<string, string[]> s_runtimes = new(StringComparer.Ordinal)
    {
        [TensorFlow] =
        [
            "python3.6", "python2.7", "tf1.13-python3.6-gpu", "tf1.13-python3.6-cpu", "tf1.13-python3.7-cpu",
            "tf1.13-python3.7-gpu", "tf2.1-python3.7", "tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64",
        ],
        [SparkMLlib] = s_pythonOnly,
        [ScikitLearn] = s_pythonOnly,
        [XGBoost] = s_pythonOnly,
        [PyTorch] =
        [
            "python2.7", "python3.6", "python3.7", "pytorch1.4-python3.7", "pytorch1.5-python3.7",
            "pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64",
        ],
        [MindSpore] = ["aarch64"],
    };

    /// <summary>All canonical engine names, in the order of the constants above (ONNX, then Image last).</summary>
    public static IReadOnlyList<string> All => s_known;

    /// <summary>Whether <paramref name="modelType"/> names a known engine (case-insensitive; <c>Custom</c> counts).</summary>
    /// <param name="modelType">The <c>model_type</c> value as written; null or empty is unknown.</param>
    /// <returns>True when <see cref="Canonicalize"/> would return a value.</returns>
    public static bool IsKnown(string? modelType) => Canonicalize(modelType) is not null;

    /// <summary>
    /// Returns the canonical spelling of <paramref name="modelType"/> (e.g. <c>pytorch</c> → <c>PyTorch</c>,
    /// <c>custom</c> → <c>Image</c>), or null when it is not a known engine.
    /// </summary>
    /// <param name="modelType">The <c>model_type</c> value as written.</param>
    /// <returns>One of the constants of this class, or null.</returns>
    public static string? Canonicalize(string? modelType)
    {
        if (string.IsNullOrWhiteSpace(modelType))
        {
            return null;
        }

        var trimmed = modelType.Trim();
        if (string.Equals(trimmed, CustomAlias, StringComparison.OrdinalIgnoreCase))
        {
            return Image;
        }

        foreach (var known in s_known)
        {
            if (string.Equals(trimmed, known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>Whether the engine is the custom engine (<c>Image</c> or <c>Custom</c>).</summary>
    /// <param name="modelType">Any spelling of the engine name.</param>
    /// <returns>True for Image/Custom.</returns>
    public static bool IsCustom(string? modelType) => Canonicalize(modelType) == Image;

    /// <summary>
    /// Whether the engine is a machine-learning engine (Scikit_Learn, XGBoost, Spark_MLlib): these accept only
    /// <c>application/json</c> (seed 003 tables 4-4/4-5) and may omit <c>customize_service.py</c>
    /// (spec model-service.md §3).
    /// </summary>
    /// <param name="modelType">Any spelling of the engine name.</param>
    /// <returns>True for the three machine-learning engines.</returns>
    public static bool IsMachineLearning(string? modelType) =>
        Canonicalize(modelType) is ScikitLearn or XGBoost or SparkMLlib;

    /// <summary>Whether the engine is Infera's native ONNX Runtime engine (<c>ONNX</c>).</summary>
    /// <param name="modelType">Any spelling of the engine name.</param>
    /// <returns>True for ONNX.</returns>
    public static bool IsOnnx(string? modelType) => Canonicalize(modelType) == Onnx;

    /// <summary>
    /// Whether this node can serve the engine: PyTorch, Scikit_Learn, XGBoost, ONNX and the custom engine
    /// (MISSION, runtimes we ship). The others import fine but cannot be deployed here.
    /// </summary>
    /// <param name="modelType">Any spelling of the engine name.</param>
    /// <returns>True when a runtime for the engine exists on this node.</returns>
    public static bool IsRunnableHere(string? modelType) =>
        Canonicalize(modelType) is PyTorch or ScikitLearn or XGBoost or Onnx or Image;

    /// <summary>
    /// The runtimes seed 003 table 2-2 lists for the engine, in the table's order. Empty for engines without a
    /// row in that table (MXNet, Caffe, Image) and for unknown engines.
    /// </summary>
    /// <param name="modelType">Any spelling of the engine name.</param>
    /// <returns>The runtime names exactly as the table spells them.</returns>
    public static IReadOnlyList<string> GetRuntimes(string? modelType) =>
        Canonicalize(modelType) is { } canonical && s_runtimes.TryGetValue(canonical, out var runtimes)
            ? runtimes
            : [];
}
