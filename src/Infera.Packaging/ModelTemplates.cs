using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infera.Packaging;

/// <summary>
/// An input/output mode (seed 003 §4.2.3, "输入输出模式"): an abstraction of config.json <c>apis</c>.
/// </summary>
/// <param name="Id">The mode id used in the API (<c>infer_format</c>).</param>
/// <param name="Name">English name.</param>
/// <param name="Description">What requests and answers look like.</param>
/// <param name="ModelAlgorithm">The <c>model_algorithm</c> a model with this mode gets; empty for the undefined mode.</param>
public sealed record InferFormat(string Id, string Name, string Description, string ModelAlgorithm)
{
    /// <summary>
    /// The <c>apis</c> array this mode stands for (seed 003 §4.2.3 schemas), or null for the undefined mode, which leaves
    /// inputs and outputs to the model.
    /// </summary>
    public JsonArray? Apis() => Id switch
    {
        InferFormats.ObjectDetection => Api("multipart/form-data", FileInput(), """
            {"type": "object", "properties": {
              "detection_classes": {"items": {"type": "string"}, "type": "array"},
              "detection_boxes": {"items": {"minItems": 4, "items": {"type": "number"}, "type": "array", "maxItems": 4}, "type": "array"},
              "detection_scores": {"items": {"type": "string"}, "type": "array"}}}
            """),
        InferFormats.ImageProcessing => Api("multipart/form-data", FileInput(), """{"type": "object"}"""),
        InferFormats.PredictAnalysis => Api("application/json", """
            {"type": "object", "properties": {"data": {"type": "object", "properties": {
              "req_data": {"items": [{"type": "object", "properties": {}}], "type": "array"}}}}}
            """, """
            {"type": "object", "properties": {"data": {"type": "object", "properties": {
              "resp_data": {"type": "array", "items": [{"type": "object", "properties": {}}]}}}}}
            """),
        _ => null,
    };

    private static string FileInput() => """{"type": "object", "properties": {"images": {"type": "file"}}}""";

    private static JsonArray Api(string requestType, string requestSchema, string responseSchema) =>
    [
        new JsonObject
        {
            ["url"] = "/",
            ["method"] = "post",
            ["request"] = new JsonObject { ["Content-type"] = requestType, ["data"] = JsonNode.Parse(requestSchema) },
            ["response"] = new JsonObject { ["Content-type"] = "application/json", ["data"] = JsonNode.Parse(responseSchema) },
        },
    ];
}

/// <summary>The four input/output modes of seed 003 §4.2.3.</summary>
public static class InferFormats
{
    /// <summary>Preset object detection (§4.2.3.1): <c>images</c> file in; detection_classes/boxes/scores out.</summary>
    public const string ObjectDetection = "object_detection";

    /// <summary>Preset image processing (§4.2.3.2): <c>images</c> file in; JSON decided by the model out.</summary>
    public const string ImageProcessing = "image_processing";

    /// <summary>Preset predict analysis (§4.2.3.3): <c>data.req_data[]</c> in, <c>data.resp_data[]</c> out.</summary>
    public const string PredictAnalysis = "predict_analysis";

    /// <summary>Undefined (§4.2.3.4): anything in and out. Models with it cannot be deployed as batch services.</summary>
    public const string Undefined = "undefined";

    /// <summary>All modes, in the seed's order.</summary>
    public static IReadOnlyList<InferFormat> All { get; } =
    [
        new(ObjectDetection, "Preset object detection", "POST / multipart/form-data with an image under \"images\"; answers detection_classes, detection_boxes and detection_scores.", "object_detection"),
        new(ImageProcessing, "Preset image processing", "POST / multipart/form-data with an image under \"images\"; the JSON answer is decided by the model.", "image_classification"),
        new(PredictAnalysis, "Preset predict analysis", "POST / application/json {\"data\": {\"req_data\": [...]}}; answers {\"data\": {\"resp_data\": [...]}}.", "predict_analysis"),
        new(Undefined, "Undefined", "Inputs and outputs are decided by the model. A model with this mode cannot be deployed as a batch service.", ""),
    ];

    /// <summary>The mode with id <paramref name="id"/> (case-insensitive), or null.</summary>
    /// <param name="id">A mode id.</param>
    /// <returns>The mode or null.</returns>
    public static InferFormat? Find(string? id) => All.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A model template (seed 003 §4.2.1–§4.2.2): an engine, a runtime and an input/output mode, so that a model folder
/// (<c>customize_service.py</c> + model files) can be imported without writing config.json.
/// </summary>
/// <param name="Id">Template id (<c>template_id</c>).</param>
/// <param name="Name">English name, e.g. "PyTorch-py36 general template".</param>
/// <param name="Description">What the template is for and what the folder must hold.</param>
/// <param name="Type"><c>general</c> (mode undefined and overridable) or the scenario of a specific template (<c>image_classification</c>).</param>
/// <param name="Engine">The <c>model_type</c> it imports as (see <see cref="ModelTypes"/>).</param>
/// <param name="Environment">The runtime (<c>runtime</c>), e.g. <c>python3.6</c>.</param>
/// <param name="InferFormatId">The built-in input/output mode (<see cref="InferFormats"/>).</param>
/// <param name="Overridable">Whether an import may choose another mode (general templates: yes; specific: no).</param>
public sealed record ModelTemplate(string Id, string Name, string Description, string Type, string Engine, string Environment,
    string InferFormatId, bool Overridable)
{
    /// <summary>The input id a template import names its model folder with (<c>template_inputs[].input_id</c>).</summary>
    public const string ModelInputId = "model";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The config.json a template import generates: <c>model_type</c> = <see cref="Engine"/>, <c>runtime</c> =
    /// <see cref="Environment"/>, <c>model_algorithm</c> and <c>apis</c> from the mode (the undefined mode keeps the
    /// template type as algorithm, or <c>general</c>, and no apis).
    /// </summary>
    /// <param name="mode">The mode in effect (the template's, or the one the import chose).</param>
    /// <returns>The config.json text.</returns>
    public string BuildConfig(InferFormat mode)
    {
        var algorithm = mode.ModelAlgorithm.Length > 0 ? mode.ModelAlgorithm : Type == "general" ? "general" : Type;
        var config = new JsonObject
        {
            ["model_type"] = Engine,
            ["model_algorithm"] = algorithm,
            ["runtime"] = Environment,
        };
        if (mode.Apis() is { } apis)
        {
            config["apis"] = apis;
        }

        return config.ToJsonString(s_json);
    }
}

/// <summary>The template catalogue: the twelve templates of seed 003 §4.2.1 plus general templates for the engines this node runs.</summary>
public static class ModelTemplates
{
    private const string GeneralText = "The built-in input/output mode is undefined; choose the mode that fits the model (it can be overridden). Select the model folder holding customize_service.py and the model files.";

    /// <summary>Every template, in the seed's order, then Infera's additions.</summary>
    public static IReadOnlyList<ModelTemplate> All { get; } =
    [
        new("tensorflow-image-classification", "TensorFlow image classification template",
            "TensorFlow 1.8 on python2.7 for image classification models saved as SavedModel; uses the preset image processing mode (an image under \"images\"), which cannot be overridden.",
            "image_classification", ModelTypes.TensorFlow, "python2.7", InferFormats.ImageProcessing, Overridable: false),
        General("tensorflow-py27-general", "TensorFlow-py27 general template", "TensorFlow 1.8", ModelTypes.TensorFlow, "python2.7"),
        General("tensorflow-py36-general", "TensorFlow-py36 general template", "TensorFlow 1.8", ModelTypes.TensorFlow, "python3.6"),
        General("mxnet-py27-general", "MXNet-py27 general template", "MXNet 1.2.1", ModelTypes.MXNet, "python2.7"),
        General("mxnet-py36-general", "MXNet-py36 general template", "MXNet 1.2.1", ModelTypes.MXNet, "python3.6"),
        General("pytorch-py27-general", "PyTorch-py27 general template", "PyTorch 1.0", ModelTypes.PyTorch, "python2.7"),
        General("pytorch-py36-general", "PyTorch-py36 general template", "PyTorch 1.0", ModelTypes.PyTorch, "python3.6"),
        General("caffe-cpu-py27-general", "Caffe-CPU-py27 general template", "Caffe 1.0 CPU", ModelTypes.Caffe, "python2.7"),
        General("caffe-gpu-py27-general", "Caffe-GPU-py27 general template", "Caffe 1.0 GPU", ModelTypes.Caffe, "python2.7"),
        General("caffe-cpu-py36-general", "Caffe-CPU-py36 general template", "Caffe 1.0 CPU", ModelTypes.Caffe, "python3.6"),
        General("caffe-gpu-py36-general", "Caffe-GPU-py36 general template", "Caffe 1.0 GPU", ModelTypes.Caffe, "python3.6"),
        General("arm-ascend", "ARM-Ascend template", "MindSpore (om models)", ModelTypes.MindSpore, "python3.5"),
        General("scikit-learn-py36-general", "Scikit_Learn-py36 general template (Infera)", "scikit-learn", ModelTypes.ScikitLearn, "python3.6"),
        General("xgboost-py36-general", "XGBoost-py36 general template (Infera)", "XGBoost", ModelTypes.XGBoost, "python3.6"),
    ];

    /// <summary>The template with id <paramref name="id"/> (case-insensitive), or null.</summary>
    /// <param name="id">A template id.</param>
    /// <returns>The template or null.</returns>
    public static ModelTemplate? Find(string? id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The templates matching every given filter (seed 003 table 2-6: type, engine, environment, keyword); null or
    /// empty filters match everything. Matching is case-insensitive; <paramref name="keyword"/> is a substring of the
    /// id, name or description.
    /// </summary>
    /// <param name="type"><c>general</c> or a scenario such as <c>image_classification</c>.</param>
    /// <param name="engine">An engine name (<c>Custom</c> spellings canonicalised).</param>
    /// <param name="environment">A runtime, e.g. <c>python3.6</c>.</param>
    /// <param name="keyword">Free text.</param>
    /// <returns>The matching templates in catalogue order.</returns>
    public static IReadOnlyList<ModelTemplate> Search(string? type, string? engine, string? environment, string? keyword)
    {
        var canonicalEngine = string.IsNullOrEmpty(engine) ? null : ModelTypes.Canonicalize(engine) ?? engine;
        return
        [
            .. All.Where(t =>
                (string.IsNullOrEmpty(type) || string.Equals(t.Type, type, StringComparison.OrdinalIgnoreCase))
                && (canonicalEngine is null || string.Equals(t.Engine, canonicalEngine, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrEmpty(environment) || string.Equals(t.Environment, environment, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrEmpty(keyword)
                    || t.Id.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                    || t.Name.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                    || t.Description.Contains(keyword, StringComparison.OrdinalIgnoreCase))),
        ];
    }

    private static ModelTemplate General(string id, string name, string engineText, string engine, string environment) =>
        new(id, name, $"{engineText} on {environment}. {GeneralText}", "general", engine, environment, InferFormats.Undefined, Overridable: true);
}
