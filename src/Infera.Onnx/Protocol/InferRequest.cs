using Infera.Onnx.Tensors;

namespace Infera.Onnx.Protocol;

/// <summary>A decoded v2 inference request (KServe v2 <c>$inference_request</c>).</summary>
/// <param name="Id">The request's <c>id</c>, echoed in the answer; null when absent.</param>
/// <param name="Inputs">The input tensors in request order.</param>
/// <param name="Outputs">The requested outputs in request order, or null for every output of the model.</param>
/// <param name="BinaryOutputs">
/// Whether outputs are answered in the binary-tensor extension unless an output says otherwise
/// (<c>parameters.binary_data_output</c>).
/// </param>
public sealed record InferRequest(string? Id, IReadOnlyList<Tensor> Inputs, IReadOnlyList<RequestedOutput>? Outputs, bool BinaryOutputs);

/// <summary>One item of a request's <c>outputs</c>.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Binary"><c>parameters.binary_data</c>: true or false, or null to follow the request's default.</param>
public sealed record RequestedOutput(string Name, bool? Binary);
