using System.CommandLine;
using System.Globalization;
using Infera.Cli.Infrastructure;
using Infera.Cli.Profiles;
using Infera.Client;

namespace Infera.Cli.Commands;

/// <summary>
/// <c>infera login</c>, two ways, both saving a profile (mode 0600) that later commands use:
/// <list type="bullet">
/// <item><c>--user &lt;name&gt; --password-stdin [--domain default] [--project default]</c>: obtains a token.</item>
/// <item><c>--ak &lt;AK&gt; --sk-stdin (or --sk) [--project-id &lt;id&gt; | --project &lt;name&gt;]</c>: checks the key with
/// a signed call and saves AK/SK; every later call is signed (SDK-HMAC-SHA256, spec/auth.md §4), nothing expires.</item>
/// </list>
/// </summary>
internal static class LoginCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user", "-u") { Description = "User name (password login)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin" };
        var domain = new Option<string>("--domain") { Description = "Account (domain) name (password login)", DefaultValueFactory = _ => "default" };
        var project = new Option<string?>("--project") { Description = "Project name (default: default)" };
        var ak = new Option<string?>("--ak") { Description = "Access key id: sign every call with this AK/SK instead of a token" };
        var skStdin = new Option<bool>("--sk-stdin") { Description = "Read the secret key from the first line of stdin (with --ak)" };
        var sk = new Option<string?>("--sk") { Description = "Secret key on the command line (visible in shell history; prefer --sk-stdin)" };
        var projectId = new Option<string?>("--project-id") { Description = "Project id for an access-key login (default: the id of --project)" };
        var command = new Command("login", "Log in with a password (token) or an access key (AK/SK) and save the profile in ~/.infera/config.json")
        {
            user, passwordStdin, domain, project, ak, skStdin, sk, projectId,
        };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var profileName = session.ProfileName ?? ProfileStore.DefaultProfileName;
            var existing = await context.Profiles.GetAsync(profileName, ct);
            var endpoint = session.ExplicitEndpoint ?? existing?.Endpoint
                ?? throw CliException.Usage("--endpoint is required (or set INFERA_ENDPOINT)");
            var login = new LoginInput(
                parseResult.GetValue(user), parseResult.GetValue(passwordStdin), parseResult.GetValue(domain)!, parseResult.GetValue(project),
                parseResult.GetValue(ak), parseResult.GetValue(skStdin), parseResult.GetValue(sk), parseResult.GetValue(projectId));
            var profile = login.AccessKey is null
                ? await PasswordLoginAsync(context, session, endpoint, login, ct)
                : await AccessKeyLoginAsync(context, session, endpoint, login, ct);
            await context.Profiles.SaveAsync(profileName, profile, ct);

            var expires = profile.ExpiresAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            session.Info(profile.Kind == CliProfile.AccessKeyKind
                ? $"logged in as {profile.User} ({profile.Domain}/{profile.Project}) with access key {profile.AccessKey}; every call is signed; saved to {context.Profiles.Path}"
                : $"logged in as {profile.User} ({profile.Domain}/{profile.Project}); token valid until {expires}; saved to {context.Profiles.Path}");
            var result = new LoginResult(
                profileName, profile.Kind, profile.Endpoint, profile.Domain, profile.User, profile.Project, profile.ProjectId, profile.AccessKey, profile.ExpiresAt, context.Profiles.Path);
            session.Emit(result, r => Tables.Fields(
                ("profile", r.Profile),
                ("auth", r.Auth),
                ("endpoint", r.Endpoint),
                ("domain", r.Domain),
                ("user", r.User),
                ("project", r.Project),
                ("project_id", r.ProjectId),
                ("access_key", r.AccessKey),
                ("expires_at", expires),
                ("config", r.ConfigPath)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static async Task<CliProfile> PasswordLoginAsync(CliContext context, CliSession session, string endpoint, LoginInput login, CancellationToken ct)
    {
        if (login.SecretFromStdin || login.Secret is not null || login.ProjectId is not null)
        {
            throw CliException.Usage("--sk, --sk-stdin and --project-id belong to an access-key login: add --ak <AK>");
        }

        var userName = login.User ?? throw CliException.Usage("--user is required for a password login (or use --ak <AK> --sk-stdin for an access key)");
        var password = await SecretInput.ReadAsync(context, login.PasswordFromStdin, "Password:", "--password-stdin", ct);
        var projectName = login.Project ?? "default";
        var client = session.CreateAnonymousClient(endpoint);
        var token = await client.CreateTokenAsync(login.Domain, userName, password, projectName, ct);
        return new CliProfile
        {
            Endpoint = client.Endpoint.ToString().TrimEnd('/'),
            Domain = login.Domain,
            User = userName,
            Project = token.ProjectName ?? projectName,
            ProjectId = token.ProjectId,
            Token = token.Token,
            ExpiresAt = token.ExpiresAt,
        };
    }

    private static async Task<CliProfile> AccessKeyLoginAsync(CliContext context, CliSession session, string endpoint, LoginInput login, CancellationToken ct)
    {
        if (login.User is not null || login.PasswordFromStdin)
        {
            throw CliException.Usage("--user and --password-stdin belong to a password login; an access-key login takes --ak and --sk-stdin");
        }

        if (login.SecretFromStdin == login.Secret is not null)
        {
            throw CliException.Usage("give the secret key with --sk-stdin (or --sk)");
        }

        if (login.ProjectId is not null && login.Project is not null)
        {
            throw CliException.Usage("give either --project-id or --project, not both");
        }

        string secret;
        if (login.Secret is { } fromArgument)
        {
            session.Info("warning: --sk leaves the secret key in your shell history and the process list; prefer --sk-stdin");
            secret = fromArgument;
        }
        else
        {
            secret = await SecretInput.ReadAsync(context, fromStdin: true, "Secret key:", "--sk-stdin", ct);
        }

        var access = login.AccessKey!.Trim();
        var iam = session.CreateAccessKeyClient(endpoint, access, secret, projectId: null);

        // A signed call proves the pair before it is saved: an unknown AK, a wrong SK or an inactive key fails here.
        var key = await iam.GetAccessKeyAsync(access, ct);
        var owner = key.UserId is { Length: > 0 } ownerId ? await iam.GetUserAsync(ownerId, ct) : null;
        var projects = await iam.ListProjectsAsync(ct);
        var project = login.ProjectId is { } id
            ? projects.FirstOrDefault(p => p.Id == id) ?? throw CliException.NotFound($"project id {id} is not a project of this key's account")
            : projects.FirstOrDefault(p => p.Name == (login.Project ?? "default"))
              ?? throw CliException.NotFound(
                  $"no project named {login.Project ?? "default"} in this key's account (projects: {string.Join(", ", projects.Select(p => p.Name))}); pass --project or --project-id");
        var domainName = owner?.DomainId is { } domainId ? (await iam.ListAccountsAsync(ct)).FirstOrDefault(d => d.Id == domainId)?.Name : null;
        return new CliProfile
        {
            Endpoint = iam.Endpoint.ToString().TrimEnd('/'),
            Domain = domainName,
            User = owner?.Name,
            Project = project.Name,
            ProjectId = project.Id,
            AccessKey = access,
            SecretKey = secret,
        };
    }

    /// <summary>The login flags.</summary>
    private sealed record LoginInput(
        string? User, bool PasswordFromStdin, string Domain, string? Project, string? AccessKey, bool SecretFromStdin, string? Secret, string? ProjectId);

    /// <summary>What <c>login</c> prints (never the token or the secret key).</summary>
    private sealed record LoginResult(
        string Profile,
        string Auth,
        string Endpoint,
        string? Domain,
        string? User,
        string? Project,
        string? ProjectId,
        string? AccessKey,
        DateTimeOffset? ExpiresAt,
        string ConfigPath);
}
