namespace Infera.Onnx.Runtime;

/// <summary>A model could not be loaded or described; the message is one sentence for the instance log and events.</summary>
/// <param name="message">Why.</param>
/// <param name="inner">The ONNX Runtime error, if any.</param>
public sealed class OnnxLoadException(string message, Exception? inner = null) : Exception(message, inner);
