namespace Infera.Client;

/// <summary>
/// A call to the Infera server could not be completed: the server was unreachable, the connection broke,
/// the request timed out or the response could not be read. The transport error is kept as
/// <see cref="Exception.InnerException"/>. <see cref="InferaApiException"/> derives from it for errors the server reported.
/// </summary>
public class InferaClientException : Exception
{
    /// <summary>Creates an exception without a message.</summary>
    public InferaClientException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public InferaClientException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the transport error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying error.</param>
    public InferaClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
