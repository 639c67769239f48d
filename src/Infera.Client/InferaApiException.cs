using System.Net;
using System.Text.Json;

namespace Infera.Client;

/// <summary>
/// The server answered with an error status. Both ModelArts/APIG bodies
/// (<c>{"error_code","error_msg","request_id"}</c>) and Keystone-style IAM bodies
/// (<c>{"error":{"code","message","title"}}</c>) are understood.
/// </summary>
public sealed class InferaApiException : InferaClientException
{
    /// <summary>Creates an exception without details.</summary>
    public InferaApiException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public InferaApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying error.</param>
    public InferaApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the parts of an error response.</summary>
    /// <param name="httpStatus">The HTTP status of the response.</param>
    /// <param name="errorCode">The error code, e.g. <c>ModelArts.3502</c>, if the body had one.</param>
    /// <param name="errorMessage">The error message of the body, or a summary of a body that was not understood.</param>
    /// <param name="requestId">The request id from the body or the <c>X-Request-Id</c> header.</param>
    public InferaApiException(HttpStatusCode httpStatus, string? errorCode, string errorMessage, string? requestId)
        : base(errorCode is null ? $"HTTP {(int)httpStatus}: {errorMessage}" : $"{errorCode}: {errorMessage}")
    {
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
    }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode HttpStatus { get; }

    /// <summary>The error code (<c>ModelArts.xxxx</c>, <c>APIG.xxxx</c>, or the IAM error title), or <see langword="null"/>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The error message given by the server.</summary>
    public string ErrorMessage { get; } = string.Empty;

    /// <summary>The request id, when the server sent one.</summary>
    public string? RequestId { get; }

    /// <summary>Builds the exception from a status code, the response body and the <c>X-Request-Id</c> header.</summary>
    /// <param name="httpStatus">The HTTP status.</param>
    /// <param name="body">The response body as text (may be empty or not JSON).</param>
    /// <param name="requestIdHeader">The value of the <c>X-Request-Id</c> header, if any.</param>
    /// <returns>The parsed exception.</returns>
    public static InferaApiException Parse(HttpStatusCode httpStatus, string? body, string? requestIdHeader)
    {
        string? code = null;
        string? message = null;
        var requestId = requestIdHeader;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    code = ReadString(root, "error_code");
                    message = ReadString(root, "error_msg") ?? ReadString(root, "error_message");
                    requestId = ReadString(root, "request_id") ?? requestId;
                    if (root.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object)
                    {
                        // Keystone/IAM: {"error":{"code":401,"message":"...","title":"Unauthorized"}}
                        code ??= ReadString(nested, "title") ?? ReadString(nested, "code");
                        message ??= ReadString(nested, "message");
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy page, plain text): fall through and report the text itself.
            }
        }

        if (message is null)
        {
            var text = body?.Trim() ?? string.Empty;
            message = text.Length == 0
                ? $"the server answered {(int)httpStatus} {httpStatus} without details"
                : text.Length > 300 ? text[..300] + "…" : text;
        }

        return new InferaApiException(httpStatus, code, message, requestId);
    }

    private static string? ReadString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
