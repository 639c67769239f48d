using System.CommandLine;
using System.Net;
using Infera.Cli.Profiles;
using Infera.Client;
using Spectre.Console;

namespace Infera.Cli.Infrastructure;

/// <summary>
/// Everything one run of the CLI shares between its commands: the writers, the consoles built on them,
/// the global options and the injected surroundings. Also turns every failure into a message and an exit code.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Creates the context of one run.</summary>
    /// <param name="options">The surroundings.</param>
    /// <param name="stdout">Where data goes.</param>
    /// <param name="stderr">Where messages go.</param>
    public CliContext(CliAppOptions options, TextWriter stdout, TextWriter stderr)
    {
        Options = options;
        Stdout = stdout;
        Stderr = stderr;
        Out = CreateConsole(stdout, options.StdoutIsTerminal);
        Err = CreateConsole(stderr, options.StderrIsTerminal);
        Profiles = ProfileStore.FromEnvironment(options.GetEnvironmentVariable);
    }

    /// <summary>The surroundings.</summary>
    public CliAppOptions Options { get; }

    /// <summary>Standard output: data only.</summary>
    public TextWriter Stdout { get; }

    /// <summary>Standard error: messages, spinners and progress.</summary>
    public TextWriter Stderr { get; }

    /// <summary>A Spectre console writing to <see cref="Stdout"/>.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>A Spectre console writing to <see cref="Stderr"/>.</summary>
    public IAnsiConsole Err { get; }

    /// <summary>The global options.</summary>
    public GlobalOptions Globals { get; } = new();

    /// <summary>The profile file.</summary>
    public ProfileStore Profiles { get; }

    /// <summary>Reads an environment variable through <see cref="CliAppOptions.GetEnvironmentVariable"/>; blank counts as unset.</summary>
    /// <param name="name">The variable.</param>
    /// <returns>The value or <see langword="null"/>.</returns>
    public string? Env(string name) =>
        Options.GetEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Runs a command body in a session and maps every failure to a message on stderr and an exit code.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="body">The command's work; returns its exit code.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl+C / SIGTERM.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parseResult, Func<CliSession, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var session = new CliSession(this, parseResult);
        try
        {
            return await body(session, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The user asked to stop: this is the one place where cancellation ends, as an exit code.
            Error("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (CliException ex)
        {
            Error(ex.Message);
            return ex.ExitCode;
        }
        catch (InferaApiException ex)
        {
            Error($"{ex.ErrorCode ?? $"HTTP {(int)ex.HttpStatus}"}: {ex.ErrorMessage}");
            return ex.HttpStatus switch
            {
                HttpStatusCode.NotFound => ExitCodes.NotFound,
                HttpStatusCode.Unauthorized => ExitCodes.AuthenticationRequired,
                _ => ExitCodes.ApiError,
            };
        }
        catch (InferaClientException ex)
        {
            Error(ex.Message);
            return ExitCodes.ConnectionFailed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Error(ex.Message);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Prints an error message on stderr.</summary>
    /// <param name="message">The message.</param>
    public void Error(string message) => Stderr.WriteLine($"error: {message}");

    /// <summary>Prints an informational message on stderr.</summary>
    /// <param name="message">The message.</param>
    public void Info(string message) => Stderr.WriteLine(message);

    private static IAnsiConsole CreateConsole(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!isTerminal)
        {
            // Redirected output has no width; a wide fixed one keeps table rows on one line for grep.
            console.Profile.Width = 240;
        }

        return console;
    }
}
