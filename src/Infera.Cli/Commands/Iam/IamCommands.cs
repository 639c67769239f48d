using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Iam;

/// <summary>
/// <c>infera iam user|project|member|key|account …</c>: IAM management in Keystone/Huawei IAM shapes (docs/api.md
/// "IAM"). Users and projects are named by id or name within the caller's account; administrators of an account
/// manage its users, projects and members, administrators of the system account create accounts.
/// </summary>
internal static class IamCommands
{
    /// <summary>Creates the <c>iam</c> command with its subcommands.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context) => new("iam", "Accounts, projects, users, project members and access keys")
    {
        new Command("user", "Users of your account")
        {
            CreateUser(context),
            ListUsers(context),
            SetUserEnabled(context, enabled: false),
            SetUserEnabled(context, enabled: true),
        },
        new Command("project", "Projects of your account")
        {
            CreateProject(context),
            ListProjects(context),
        },
        new Command("member", "Project membership (role member)")
        {
            SetMember(context, member: true),
            SetMember(context, member: false),
        },
        IamKeyCommands.Create(context),
        new Command("account", "Accounts (administrators of the system account)")
        {
            CreateAccount(context),
            ListAccounts(context),
        },
    };

    private static Command CreateUser(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new user's password from the first line of stdin" };
        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator of the account" };
        var command = new Command("create", "Create a user (it must be added to projects with iam member add)") { name, passwordStdin, admin };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var password = await SecretInput.ReadAsync(context, parseResult.GetValue(passwordStdin), "Password:", "--password-stdin", ct);
            var client = await session.GetClientAsync(ct);
            var user = await client.CreateUserAsync(parseResult.GetValue(name)!, password, parseResult.GetValue(admin), ct);
            session.Emit(user, Views.User);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command ListUsers(CliContext context)
    {
        var command = new Command("list", "List the users of your account");
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var users = await client.ListUsersAsync(ct);
            session.Emit(new UserList(users), l => Views.Users(l.Users));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command SetUserEnabled(CliContext context, bool enabled)
    {
        var user = new Argument<string>("user") { Description = "User id or name" };
        var command = new Command(
            enabled ? "enable" : "disable",
            enabled ? "Let a disabled user log in and sign again" : "Stop a user from logging in or signing; its tokens stop working")
        {
            user,
        };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveUserAsync(client, parseResult.GetValue(user)!, ct);
            var updated = await client.UpdateUserAsync(id, enabled, password: null, ct);
            session.Emit(updated, Views.User);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command CreateProject(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Project name" };
        var command = new Command("create", "Create a project in your account") { name };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var project = await client.CreateProjectAsync(parseResult.GetValue(name)!, ct);
            session.Emit(project, p => Tables.Fields(("id", p.Id), ("name", p.Name), ("domain_id", p.DomainId)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command ListProjects(CliContext context)
    {
        var command = new Command("list", "List the projects of your account");
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var projects = await client.ListProjectsAsync(ct);
            session.Emit(new ProjectList(projects), l => Views.Projects(l.Projects));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command SetMember(CliContext context, bool member)
    {
        var project = new Argument<string>("project") { Description = "Project id or name" };
        var user = new Argument<string>("user") { Description = "User id or name" };
        var command = new Command(member ? "add" : "remove", member ? "Make a user a member of a project" : "Remove a user from a project") { project, user };
        if (!member)
        {
            command.Aliases.Add("rm");
        }

        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var projectId = await Resolver.ResolveProjectAsync(client, parseResult.GetValue(project)!, ct);
            var userId = await Resolver.ResolveUserAsync(client, parseResult.GetValue(user)!, ct);
            await client.SetProjectMemberAsync(projectId, userId, member, ct);
            session.Emit(new Membership(projectId, userId, member), m => Tables.Fields(("project_id", m.ProjectId), ("user_id", m.UserId), ("member", m.Member ? "yes" : "no")));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command CreateAccount(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Account (domain) name" };
        var project = new Option<string?>("--project") { Description = "Name of the account's first project (default: default)" };
        var admin = new Option<string?>("--admin") { Description = "User name of the account's administrator (default: admin)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the administrator's password from the first line of stdin" };
        var command = new Command("create", "Create an account with its first project and administrator") { name, project, admin, passwordStdin };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var password = await SecretInput.ReadAsync(context, parseResult.GetValue(passwordStdin), "Password:", "--password-stdin", ct);
            var client = await session.GetClientAsync(ct);
            var account = await client.CreateAccountAsync(parseResult.GetValue(name)!, parseResult.GetValue(project), parseResult.GetValue(admin), password, ct);
            session.Emit(account, a => Tables.Fields(
                ("domain_id", a.Domain.Id),
                ("domain", a.Domain.Name),
                ("project_id", a.Project.Id),
                ("project", a.Project.Name),
                ("admin_id", a.User.Id),
                ("admin", a.User.Name)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command ListAccounts(CliContext context)
    {
        var command = new Command("list", "List accounts (all for system administrators, else your own)");
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var domains = await client.ListAccountsAsync(ct);
            session.Emit(new AccountList(domains), l => Views.Accounts(l.Domains));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>What <c>iam user list -o json</c> prints, in the server's shape.</summary>
    private sealed record UserList(IReadOnlyList<Client.Iam.IamUser> Users);

    /// <summary>What <c>iam project list -o json</c> prints.</summary>
    private sealed record ProjectList(IReadOnlyList<Client.Iam.IamProject> Projects);

    /// <summary>What <c>iam account list -o json</c> prints.</summary>
    private sealed record AccountList(IReadOnlyList<Client.Iam.IamDomain> Domains);

    /// <summary>What <c>iam member add|remove</c> prints.</summary>
    private sealed record Membership(string ProjectId, string UserId, bool Member);
}
