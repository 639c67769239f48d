namespace Infera.Cli;

/// <summary>A failure the CLI reports with a plain message (no stack trace) and a specific exit code.</summary>
internal sealed class CliException : Exception
{
    /// <summary>Creates an exception with exit code <see cref="ExitCodes.Failure"/>.</summary>
    public CliException()
        : this(ExitCodes.Failure, "failed")
    {
    }

    /// <summary>Creates an exception with exit code <see cref="ExitCodes.Failure"/>.</summary>
    /// <param name="message">The message printed on stderr.</param>
    public CliException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    /// <summary>Creates an exception with exit code <see cref="ExitCodes.Failure"/>.</summary>
    /// <param name="message">The message printed on stderr.</param>
    /// <param name="innerException">The cause.</param>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
    }

    /// <summary>Creates an exception with a chosen exit code.</summary>
    /// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
    /// <param name="message">The message printed on stderr.</param>
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>A usage error (exit code <see cref="ExitCodes.UsageError"/>).</summary>
    /// <param name="message">What was wrong with the command line.</param>
    /// <returns>The exception to throw.</returns>
    public static CliException Usage(string message) => new(ExitCodes.UsageError, message);

    /// <summary>A not-found error (exit code <see cref="ExitCodes.NotFound"/>).</summary>
    /// <param name="message">What was not found.</param>
    /// <returns>The exception to throw.</returns>
    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);
}
