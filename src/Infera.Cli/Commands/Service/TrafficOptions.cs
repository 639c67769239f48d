using System.CommandLine;
using System.Text.Json;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// The grey-release and rate-limit options shared by <c>service deploy</c> and <c>service update</c>:
/// <c>--routing-rules rules.json</c> (a JSON array of <c>{condition, model_version | model_id, header_name?, header_value?}</c>,
/// seed 003 table 3-6; <c>[]</c> removes the rules on update), <c>--rate-limit</c> and <c>--rate-limit-per-replica</c>
/// (requests per second; 0 removes a limit on update).
/// </summary>
internal sealed class TrafficOptions
{
    /// <summary><c>--routing-rules</c>.</summary>
    public Option<FileInfo?> RoutingRules { get; } = new("--routing-rules") { Description = "JSON file with the grey-release rules: [{\"condition\", \"model_version\", \"header_name\"?, \"header_value\"?}]" };

    /// <summary><c>--rate-limit</c>.</summary>
    public Option<int?> RateLimit { get; } = new("--rate-limit") { Description = "Requests per second for the whole service (0 removes it on update)" };

    /// <summary><c>--rate-limit-per-replica</c>.</summary>
    public Option<int?> RateLimitPerReplica { get; } = new("--rate-limit-per-replica") { Description = "Requests per second per instance, times the instance count (0 removes it on update)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Options.Add(RoutingRules);
        command.Options.Add(RateLimit);
        command.Options.Add(RateLimitPerReplica);
    }

    /// <summary>Whether any of the options was given.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns><see langword="true"/> when the request carries a traffic change.</returns>
    public bool AnyGiven(ParseResult parseResult) =>
        parseResult.GetValue(RoutingRules) is not null || parseResult.GetValue(RateLimit) is not null || parseResult.GetValue(RateLimitPerReplica) is not null;

    /// <summary>Reads the rules file of <c>--routing-rules</c>.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The rules, or <see langword="null"/> without the option.</returns>
    /// <exception cref="CliException">Exit 4 for a missing file; exit 2 for a file that is not a JSON array of rules.</exception>
    public List<RoutingRule>? ReadRules(ParseResult parseResult)
    {
        var file = parseResult.GetValue(RoutingRules);
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw CliException.NotFound($"routing rules file {file.FullName} does not exist");
        }

        try
        {
            return JsonSerializer.Deserialize<List<RoutingRule>>(File.ReadAllText(file.FullName))
                ?? throw CliException.Usage($"{file.Name} must hold a JSON array of rules");
        }
        catch (JsonException e)
        {
            throw CliException.Usage($"{file.Name} must hold a JSON array of rules [{{\"condition\": …, \"model_version\": …}}]: {e.Message}");
        }
    }
}
