namespace Infera.Gateway.Forwarding;

/// <summary>Why a forwarded call did not get an answer from the instance; each kind maps to one status.</summary>
public enum ForwardError
{
    /// <summary>The call succeeded (the instance answered, whatever its status).</summary>
    None,

    /// <summary>No ready instance: 503.</summary>
    NoReadyInstance,

    /// <summary>The request body exceeded 12 MB: 413.</summary>
    RequestTooLarge,

    /// <summary>The instance could not be reached or broke the connection before answering: 502.</summary>
    UpstreamUnavailable,

    /// <summary>No complete answer within the 40 s limit (or, on a stream, 40 s without data): 504.</summary>
    Timeout,

    /// <summary>The caller went away: logged as 499, nothing is written.</summary>
    ClientDisconnected,

    /// <summary>The answer started but broke midway; the response is aborted.</summary>
    ResponseBroken,

    /// <summary>The service's requests-per-second limit was reached: 429 APIG.0308.</summary>
    Throttled,

    /// <summary>A WebSocket service was called without an upgrade, or an HTTP service with one: 400.</summary>
    WrongProtocol,
}
