using System.CommandLine;

namespace Infera.Cli.Infrastructure;

/// <summary>The options every command accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--endpoint</c>: the server address; overrides <c>INFERA_ENDPOINT</c> and the profile.</summary>
    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = "Server address, e.g. http://127.0.0.1:8090 (default: $INFERA_ENDPOINT, then the profile)",
        Recursive = true,
    };

    /// <summary><c>-o|--output table|json</c>.</summary>
    public Option<OutputFormat> Output { get; } = new("--output", "-o", "--format")
    {
        Description = "Output format: table for people, json for scripts (exactly one JSON document on stdout)",
        HelpName = "table|json",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary><c>--profile</c>: which saved login to use.</summary>
    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Saved login to use (default: $INFERA_PROFILE, then the current profile of the config file)",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command.</summary>
    /// <param name="root">The root command.</param>
    public void AddTo(RootCommand root)
    {
        root.Options.Add(Endpoint);
        root.Options.Add(Output);
        root.Options.Add(Profile);
    }
}
