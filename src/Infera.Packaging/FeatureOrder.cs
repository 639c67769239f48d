namespace Infera.Packaging;

/// <summary>
/// The <c>feature_order</c> object of an ONNX model's config.json: how the named fields of a ModelArts predict-analysis
/// record (<c>{"data": {"req_data": [{"sepal_length": 5.1, ...}]}}</c>) become one row of an input tensor.
/// </summary>
/// <param name="Input">
/// <c>input</c>: the model input that receives the rows; null when absent (the model must then have exactly one input).
/// </param>
/// <param name="Fields">
/// <c>fields</c>: the record's field names in the order of the tensor's row elements; as many as the row has elements.
/// </param>
public sealed record FeatureOrder(string? Input, IReadOnlyList<string> Fields);
