using System.CommandLine;
using System.Globalization;
using Infera.Cli.Infrastructure;
using Infera.Cli.Profiles;
using Spectre.Console;

namespace Infera.Cli.Commands;

/// <summary>
/// <c>infera login --endpoint &lt;url&gt; --user &lt;name&gt; --password-stdin [--domain default] [--project default]</c>:
/// obtains a token and saves it in the profile file.
/// </summary>
internal static class LoginCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var user = new Option<string>("--user", "-u") { Description = "User name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin" };
        var domain = new Option<string>("--domain") { Description = "Account (domain) name", DefaultValueFactory = _ => "default" };
        var project = new Option<string>("--project") { Description = "Project name", DefaultValueFactory = _ => "default" };
        var command = new Command("login", "Obtain a token and save it (with the endpoint) in ~/.infera/config.json") { user, passwordStdin, domain, project };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var profileName = session.ProfileName ?? ProfileStore.DefaultProfileName;
            var existing = await context.Profiles.GetAsync(profileName, ct);
            var endpoint = session.ExplicitEndpoint ?? existing?.Endpoint
                ?? throw CliException.Usage("--endpoint is required (or set INFERA_ENDPOINT)");
            var password = await ReadPasswordAsync(context, parseResult.GetValue(passwordStdin), ct);

            var client = session.CreateAnonymousClient(endpoint);
            var token = await client.CreateTokenAsync(parseResult.GetValue(domain)!, parseResult.GetValue(user)!, password, parseResult.GetValue(project), ct);
            var profile = new CliProfile
            {
                Endpoint = client.Endpoint.ToString().TrimEnd('/'),
                Domain = parseResult.GetValue(domain),
                User = parseResult.GetValue(user),
                Project = token.ProjectName ?? parseResult.GetValue(project),
                ProjectId = token.ProjectId,
                Token = token.Token,
                ExpiresAt = token.ExpiresAt,
            };
            await context.Profiles.SaveAsync(profileName, profile, ct);

            var expires = token.ExpiresAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            session.Info($"logged in as {profile.User} ({profile.Domain}/{profile.Project}); token valid until {expires}; saved to {context.Profiles.Path}");
            var result = new LoginResult(profileName, profile.Endpoint, profile.Domain, profile.User, profile.Project, profile.ProjectId, token.ExpiresAt, context.Profiles.Path);
            session.Emit(result, r => Tables.Fields(
                ("profile", r.Profile),
                ("endpoint", r.Endpoint),
                ("domain", r.Domain),
                ("user", r.User),
                ("project", r.Project),
                ("project_id", r.ProjectId),
                ("expires_at", expires),
                ("config", r.ConfigPath)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static async Task<string> ReadPasswordAsync(CliContext context, bool fromStdin, CancellationToken cancellationToken)
    {
        string? password;
        if (fromStdin)
        {
            password = await (context.Options.Stdin ?? Console.In).ReadLineAsync(cancellationToken);
        }
        else if (context.Options.StderrIsTerminal)
        {
            password = await new TextPrompt<string>("Password:").Secret().ShowAsync(context.Err, cancellationToken);
        }
        else
        {
            throw CliException.Usage("no terminal to ask for the password: pass --password-stdin and pipe it in");
        }

        password = password?.TrimEnd('\r', '\n');
        return string.IsNullOrEmpty(password) ? throw CliException.Usage("the password is empty") : password;
    }

    /// <summary>What <c>login</c> prints (never the token).</summary>
    private sealed record LoginResult(
        string Profile, string Endpoint, string? Domain, string? User, string? Project, string? ProjectId, DateTimeOffset ExpiresAt, string ConfigPath);
}
