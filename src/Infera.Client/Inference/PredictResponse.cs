using System.Text;

namespace Infera.Client.Inference;

/// <summary>The model's answer, passed through unchanged whatever its status.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The media type of the body, if any.</param>
/// <param name="Body">The raw body.</param>
public sealed record PredictResponse(int StatusCode, string? ContentType, ReadOnlyMemory<byte> Body)
{
    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The body decoded as UTF-8.</summary>
    /// <returns>The body text.</returns>
    public string GetBodyText() => Encoding.UTF8.GetString(Body.Span);
}
