using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.App;

/// <summary>
/// <c>infera app create|list|show|reset|delete|bind|unbind|add-code</c>: apps for app authentication of services
/// (spec/auth.md §5, §9; ModelArts "app authentication"). Apps are named by id or name, services by id or name.
/// </summary>
internal static class AppCommands
{
    /// <summary>Creates the <c>app</c> command with its subcommands.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context) => new("app", "Apps: AppKey/AppSecret and AppCodes that callers use instead of an IAM login")
    {
        CreateApp(context),
        List(context),
        Show(context),
        Reset(context),
        Delete(context),
        Bind(context),
        Unbind(context),
        AddCode(context),
    };

    private static Command CreateApp(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "App name: 3-64 letters, digits or _, starting with a letter" };
        var remark = new Option<string?>("--remark") { Description = "Description (at most 200 characters)" };
        var command = new Command("create", "Create an app; prints its AppKey and AppSecret") { name, remark };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var app = await client.CreateAppAsync(parseResult.GetValue(name)!, parseResult.GetValue(remark), ct);
            session.Info($"created app {app.AppName}; add an AppCode with: infera app add-code {app.AppName}");
            session.Emit(app, Views.App);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List the apps of the project");
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var list = await client.ListAppsAsync(ct);
            session.Emit(list, l => Views.Apps(l.Apps));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var app = new Argument<string>("app") { Description = "App id or name" };
        var command = new Command("show", "Show an app with its AppSecret, AppCodes and bound services (secrets only for your own apps)") { app };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveAppAsync(client, parseResult.GetValue(app)!, ct);
            session.Emit(await client.GetAppAsync(id, ct), Views.App);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Reset(CliContext context)
    {
        var app = new Argument<string>("app") { Description = "App id or name" };
        var command = new Command("reset", "Replace the AppSecret of an app; the old secret stops working") { app };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveAppAsync(client, parseResult.GetValue(app)!, ct);
            var reset = await client.ResetAppSecretAsync(id, ct);
            session.Info($"new AppSecret for app {reset.AppName}; signatures made with the old one are refused");
            session.Emit(reset, Views.App);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var apps = new Argument<string[]>("app") { Description = "App ids or names", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Delete apps and their service bindings") { apps };
        command.Aliases.Add("rm");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var ids = new List<string>();
            foreach (var reference in parseResult.GetValue(apps) ?? [])
            {
                ids.Add(await Resolver.ResolveAppAsync(client, reference, ct));
            }

            var deleted = new List<string>();
            foreach (var id in ids)
            {
                await client.DeleteAppAsync(id, ct);
                deleted.Add(id);
            }

            session.Emit(new DeletedApps(deleted), d => Views.IdList("Deleted app", d.Deleted));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Bind(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var apps = new Argument<string[]>("app") { Description = "App ids or names", Arity = ArgumentArity.OneOrMore };
        var command = new Command("bind", "Switch app authentication on for a service and let these apps call it") { service, apps };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var serviceId = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var ids = new List<string>();
            foreach (var reference in parseResult.GetValue(apps) ?? [])
            {
                ids.Add(await Resolver.ResolveAppAsync(client, reference, ct));
            }

            var authorization = await client.BindAppsAsync(serviceId, ids, ct);
            session.Emit(authorization, Views.ServiceApps);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Unbind(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var app = new Argument<string>("app") { Description = "App id or name" };
        var command = new Command("unbind", "Stop an app from calling a service") { service, app };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var serviceId = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var appId = await Resolver.ResolveAppAsync(client, parseResult.GetValue(app)!, ct);
            await client.UnbindAppAsync(serviceId, appId, ct);
            var authorization = await client.GetServiceAppsAsync(serviceId, ct);
            session.Emit(authorization, Views.ServiceApps);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command AddCode(CliContext context)
    {
        var app = new Argument<string>("app") { Description = "App id or name" };
        var code = new Option<string?>("--code") { Description = "The AppCode to add (default: the server generates one)" };
        var command = new Command("add-code", "Add an AppCode (sent as X-Apig-AppCode; at most 5 per app)") { app, code };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var appId = await Resolver.ResolveAppAsync(client, parseResult.GetValue(app)!, ct);
            var added = await client.AddAppCodeAsync(appId, parseResult.GetValue(code), ct);
            session.Emit(added, c => Tables.Fields(("id", c.Id), ("app_code", c.Code), ("create_time", Tables.Time(c.CreateTime))));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>What <c>app delete</c> prints.</summary>
    private sealed record DeletedApps(IReadOnlyList<string> Deleted);
}
