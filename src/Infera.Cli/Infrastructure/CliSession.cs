using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Infera.Cli.Profiles;
using Infera.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infera.Cli.Infrastructure;

/// <summary>
/// One command invocation: its output format, its connection settings and the client built from them.
/// Endpoint: <c>--endpoint</c>, then <c>INFERA_ENDPOINT</c>, then the profile. Credentials: <c>INFERA_TOKEN</c>
/// (with <c>INFERA_PROJECT_ID</c> or the profile's project id), then <c>INFERA_ACCESS_KEY</c> +
/// <c>INFERA_SECRET_KEY</c> (same project rule; every call signed), then the profile's access key, then its token.
/// </summary>
internal sealed class CliSession : IDisposable
{
    private readonly List<IDisposable> owned = [];
    private bool emitted;

    /// <summary>Creates the session of one command.</summary>
    /// <param name="context">The run.</param>
    /// <param name="parseResult">The parsed command line.</param>
    public CliSession(CliContext context, ParseResult parseResult)
    {
        Context = context;
        ParseResult = parseResult;
        Format = parseResult.GetValue(context.Globals.Output);
    }

    /// <summary>The run.</summary>
    public CliContext Context { get; }

    /// <summary>The parsed command line.</summary>
    public ParseResult ParseResult { get; }

    /// <summary>The output format.</summary>
    public OutputFormat Format { get; }

    /// <summary>Whether output is JSON.</summary>
    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>The profile name in use: <c>--profile</c>, then <c>INFERA_PROFILE</c>, else the file's current profile (<see langword="null"/>).</summary>
    public string? ProfileName => ParseResult.GetValue(Context.Globals.Profile) ?? Context.Env("INFERA_PROFILE");

    /// <summary>The endpoint given on the command line or in the environment, without looking at the profile.</summary>
    public string? ExplicitEndpoint => ParseResult.GetValue(Context.Globals.Endpoint) ?? Context.Env("INFERA_ENDPOINT");

    /// <summary>Prints the command's result: one JSON document, or the table for people. Call it once per command.</summary>
    /// <typeparam name="T">The type of the data.</typeparam>
    /// <param name="data">The data serialized for <c>-o json</c>.</param>
    /// <param name="table">Builds what people see; <see langword="null"/> prints nothing in table mode.</param>
    public void Emit<T>(T data, Func<T, IRenderable?>? table)
    {
        if (emitted)
        {
            throw new InvalidOperationException("a command must print exactly one result");
        }

        emitted = true;
        if (IsJson)
        {
            Context.Stdout.WriteLine(JsonSerializer.Serialize(data, CliJson.Options));
            Context.Stdout.Flush();
        }
        else if (table?.Invoke(data) is { } renderable)
        {
            Context.Out.Write(renderable);
        }
    }

    /// <summary>Prints a message on stderr (never on stdout).</summary>
    /// <param name="message">The message.</param>
    public void Info(string message) => Context.Info(message);

    /// <summary>Creates a client for the endpoint without a token (for <c>login</c>).</summary>
    /// <param name="endpoint">The server address.</param>
    /// <returns>The client, disposed with the session.</returns>
    public InferaClient CreateAnonymousClient(string endpoint) => Own(Builder(endpoint).Build());

    /// <summary>Creates a client that signs every call with an access key (for <c>login --ak</c>).</summary>
    /// <param name="endpoint">The server address.</param>
    /// <param name="accessKey">The AK.</param>
    /// <param name="secretKey">The SK.</param>
    /// <param name="projectId">The project id, or <see langword="null"/> for IAM calls only.</param>
    /// <returns>The client, disposed with the session.</returns>
    public InferaClient CreateAccessKeyClient(string endpoint, string accessKey, string secretKey, string? projectId) =>
        Own((projectId is null ? Builder(endpoint).UseAccessKey(accessKey, secretKey) : Builder(endpoint).UseAccessKey(accessKey, secretKey, projectId)).Build());

    /// <summary>Creates a client without credentials for the endpoint of the flags, the environment or the profile (AppCode calls).</summary>
    /// <param name="cancellationToken">Cancels reading the profile.</param>
    /// <returns>The client, disposed with the session.</returns>
    /// <exception cref="CliException">No server address is known.</exception>
    public async Task<InferaClient> GetUnauthenticatedClientAsync(CancellationToken cancellationToken)
    {
        var endpoint = ExplicitEndpoint ?? (await Context.Profiles.GetAsync(ProfileName, cancellationToken))?.Endpoint;
        return string.IsNullOrWhiteSpace(endpoint)
            ? throw CliException.Usage("no server address: pass --endpoint, set INFERA_ENDPOINT, or run infera login")
            : CreateAnonymousClient(endpoint);
    }

    /// <summary>Creates an authenticated client from the flags, the environment and the profile.</summary>
    /// <param name="cancellationToken">Cancels reading the profile.</param>
    /// <returns>The client, disposed with the session.</returns>
    public async Task<InferaClient> GetClientAsync(CancellationToken cancellationToken)
    {
        var profile = await Context.Profiles.GetAsync(ProfileName, cancellationToken);
        var endpoint = ExplicitEndpoint ?? profile?.Endpoint;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new CliException(ExitCodes.AuthenticationRequired, "no server address: pass --endpoint, set INFERA_ENDPOINT, or run infera login");
        }

        var builder = Builder(endpoint);
        if (Context.Env("INFERA_TOKEN") is { } envToken)
        {
            var projectId = Context.Env("INFERA_PROJECT_ID") ?? profile?.ProjectId
                ?? throw new CliException(ExitCodes.AuthenticationRequired, "INFERA_TOKEN is set but the project id is unknown: set INFERA_PROJECT_ID too");
            return Own(builder.UseToken(envToken, projectId).Build());
        }

        if (Context.Env("INFERA_ACCESS_KEY") is { } envAk)
        {
            var envSk = Context.Env("INFERA_SECRET_KEY")
                ?? throw new CliException(ExitCodes.AuthenticationRequired, "INFERA_ACCESS_KEY is set but INFERA_SECRET_KEY is not");
            var projectId = Context.Env("INFERA_PROJECT_ID") ?? profile?.ProjectId
                ?? throw new CliException(ExitCodes.AuthenticationRequired, "INFERA_ACCESS_KEY is set but the project id is unknown: set INFERA_PROJECT_ID too");
            return Own(builder.UseAccessKey(envAk, envSk, projectId).Build());
        }

        if (profile is { AccessKey: { Length: > 0 } ak })
        {
            if (profile.SecretKey is not { Length: > 0 } sk || profile.ProjectId is not { Length: > 0 } akProject)
            {
                throw new CliException(ExitCodes.AuthenticationRequired, $"the access-key profile in {Context.Profiles.Path} has no secret key or project id: run infera login --ak again");
            }

            return Own(builder.UseAccessKey(ak, sk, akProject).Build());
        }

        if (profile?.Token is not { Length: > 0 } token || profile.ProjectId is not { Length: > 0 } profileProject)
        {
            throw new CliException(ExitCodes.AuthenticationRequired, $"not logged in (no token in {Context.Profiles.Path}): run infera login");
        }

        if (profile.ExpiresAt is { } expiresAt && expiresAt <= Context.Options.TimeProvider.GetUtcNow())
        {
            throw new CliException(
                ExitCodes.AuthenticationRequired,
                $"token expired at {expiresAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, run infera login");
        }

        return Own(builder.UseToken(token, profileProject).Build());
    }

    /// <summary>Disposes the clients created by the session.</summary>
    public void Dispose()
    {
        foreach (var item in owned)
        {
            item.Dispose();
        }

        owned.Clear();
    }

    private InferaClientBuilder Builder(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"'{endpoint}' is not a server address; expected http://host:port");
        }

        var builder = new InferaClientBuilder().UseEndpoint(uri).UseTimeProvider(Context.Options.TimeProvider);
        if (Context.Options.HttpMessageHandler is { } handler)
        {
            builder.UseHttpMessageHandler(handler);
        }

        return builder;
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }
}
