namespace Infera.Core.Errors;

/// <summary>
/// A failure that reaches the caller as an error body: <c>{"error_code": ..., "error_msg": ...}</c>
/// with <see cref="HttpStatus"/> (spec/modelarts-api.md §4; APIG codes from spec/auth.md §2).
/// </summary>
public sealed class InferaException : Exception
{
    /// <summary>Creates an error with its HTTP status, ModelArts/APIG code and one-sentence message.</summary>
    public InferaException(int httpStatus, string errorCode, string message)
        : base(message)
    {
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
    }

    /// <summary>Creates an error wrapping the exception that caused it.</summary>
    public InferaException(int httpStatus, string errorCode, string message, Exception innerException)
        : base(message, innerException)
    {
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
    }

    /// <summary>HTTP status of the response (400, 401, 403, 404, 409, 413, 429, 500, 504…).</summary>
    public int HttpStatus { get; }

    /// <summary>Error code such as <c>ModelArts.3502</c> or <c>APIG.0301</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>When set, the response carries <c>Retry-After</c> with this many whole seconds (rounded up).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
