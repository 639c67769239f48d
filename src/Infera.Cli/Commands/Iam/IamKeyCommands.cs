using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client;

namespace Infera.Cli.Commands.Iam;

/// <summary>
/// <c>infera iam key create|list|disable|enable|delete</c>: access keys (AK/SK) that sign calls instead of a token
/// (spec/auth.md §4). The SK is printed once, by <c>create</c>.
/// </summary>
internal static class IamKeyCommands
{
    /// <summary>Creates the <c>key</c> command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context) => new("key", "Access keys (AK/SK) for signed calls: infera login --ak, SDKs")
    {
        CreateKey(context),
        List(context),
        SetStatus(context, active: false),
        SetStatus(context, active: true),
        Delete(context),
    };

    private static Command CreateKey(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Owner: user id or name (administrators; default: yourself)" };
        var description = new Option<string?>("--description") { Description = "Description (at most 255 characters)" };
        var command = new Command("create", "Create an access key; the secret key is shown only now") { user, description };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var userId = await UserIdAsync(client, parseResult.GetValue(user), ct);
            var key = await client.CreateAccessKeyAsync(userId, parseResult.GetValue(description), ct);
            session.Info("save the secret key now: it cannot be shown again (log in with: infera login --ak <access> --sk-stdin)");
            session.Emit(key, Views.AccessKey);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command List(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Owner: user id or name (administrators; default: yourself)" };
        var command = new Command("list", "List access keys (never their secrets)") { user };
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var userId = await UserIdAsync(client, parseResult.GetValue(user), ct);
            var keys = await client.ListAccessKeysAsync(userId, ct);
            session.Emit(new KeyList(keys), l => Views.AccessKeys(l.Credentials));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command SetStatus(CliContext context, bool active)
    {
        var access = new Argument<string>("access-key") { Description = "The AK" };
        var command = new Command(
            active ? "enable" : "disable",
            active ? "Make an access key active again" : "Make an access key inactive: signatures with it are refused")
        {
            access,
        };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var key = await client.SetAccessKeyStatusAsync(parseResult.GetValue(access)!.Trim(), active, ct);
            session.Emit(key, Views.AccessKey);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var access = new Argument<string[]>("access-key") { Description = "The AKs", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Delete access keys; signatures with them fail at once") { access };
        command.Aliases.Add("rm");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var deleted = new List<string>();
            foreach (var key in parseResult.GetValue(access) ?? [])
            {
                await client.DeleteAccessKeyAsync(key.Trim(), ct);
                deleted.Add(key.Trim());
            }

            session.Emit(new DeletedKeys(deleted), d => Views.IdList("Deleted access key", d.Deleted));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static async Task<string?> UserIdAsync(InferaClient client, string? reference, CancellationToken cancellationToken) =>
        reference is null ? null : await Resolver.ResolveUserAsync(client, reference, cancellationToken);

    /// <summary>What <c>iam key list -o json</c> prints, in the server's shape.</summary>
    private sealed record KeyList(IReadOnlyList<Client.Iam.AccessKey> Credentials);

    /// <summary>What <c>iam key delete</c> prints.</summary>
    private sealed record DeletedKeys(IReadOnlyList<string> Deleted);
}
