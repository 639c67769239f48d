namespace Infera.Onnx.Protocol;

/// <summary>The request does not fit the protocol or the model; the message is a sentence for the caller (HTTP 400).</summary>
/// <param name="message">What is wrong, naming the tensor or field.</param>
public sealed class InferInputException(string message) : Exception(message);
