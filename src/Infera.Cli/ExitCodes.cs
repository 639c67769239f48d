namespace Infera.Cli;

/// <summary>
/// Every exit code of <c>infera</c>, in one place. Scripts rely on these values: never renumber them.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug, or a local file that could not be read or written).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown option, missing argument, invalid value.</summary>
    public const int UsageError = 2;

    /// <summary>The server rejected the request (<c>error_code: error_msg</c> is printed on stderr).</summary>
    public const int ApiError = 3;

    /// <summary>The bucket, object, model or service does not exist (HTTP 404, or a name that matches nothing).</summary>
    public const int NotFound = 4;

    /// <summary>The server could not be reached, the connection broke, or a call timed out.</summary>
    public const int ConnectionFailed = 5;

    /// <summary>A wait ended badly: the model or service reached <c>failed</c>, or the wait timed out.</summary>
    public const int WaitFailed = 6;

    /// <summary>
    /// No usable credentials: not logged in, token expired, key disabled (the server answered 401). A 403 means the
    /// caller is known but not allowed; logging in again does not help, so it exits with <see cref="ApiError"/>.
    /// </summary>
    public const int AuthenticationRequired = 7;

    /// <summary><c>service predict</c>: the model answered with a status of 400 or more (its body is still printed).</summary>
    public const int PredictFailed = 8;

    /// <summary>Interrupted by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
