using Spectre.Console;

namespace Infera.Cli.Infrastructure;

/// <summary>Reads passwords and secret keys: the first line of stdin, or a hidden prompt on a terminal; never from arguments.</summary>
internal static class SecretInput
{
    /// <summary>Reads one secret.</summary>
    /// <param name="context">The run (stdin and whether stderr is a terminal).</param>
    /// <param name="fromStdin">True for the <c>--…-stdin</c> flag: read the first line of stdin.</param>
    /// <param name="prompt">The prompt on a terminal, e.g. <c>Password:</c>.</param>
    /// <param name="stdinFlag">The flag to suggest when there is no terminal, e.g. <c>--password-stdin</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The secret without its line ending.</returns>
    /// <exception cref="CliException">No terminal and no stdin flag, or the secret is empty (usage error).</exception>
    public static async Task<string> ReadAsync(CliContext context, bool fromStdin, string prompt, string stdinFlag, CancellationToken cancellationToken)
    {
        string? secret;
        if (fromStdin)
        {
            secret = await (context.Options.Stdin ?? Console.In).ReadLineAsync(cancellationToken);
        }
        else if (context.Options.StderrIsTerminal)
        {
            secret = await new TextPrompt<string>(prompt).Secret().ShowAsync(context.Err, cancellationToken);
        }
        else
        {
            throw CliException.Usage($"no terminal to ask for it: pass {stdinFlag} and pipe it in");
        }

        secret = secret?.TrimEnd('\r', '\n');
        return string.IsNullOrEmpty(secret) ? throw CliException.Usage($"the {prompt.TrimEnd(':').ToLowerInvariant()} is empty") : secret;
    }
}
