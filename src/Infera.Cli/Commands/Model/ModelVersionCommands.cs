using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Models;

namespace Infera.Cli.Commands.Model;

/// <summary>
/// <c>infera model versions &lt;model&gt;</c>, <c>infera model new-version &lt;model&gt; [--version …] [--source obs://…]
/// [--description …] [--runtime …] [--no-wait]</c> and <c>infera model templates [--type …] [--engine …]
/// [--environment …] [--keyword …]</c> (MISSION R-M4, R-M5).
/// </summary>
internal static class ModelVersionCommands
{
    /// <summary>Creates <c>model versions</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command CreateList(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "Model id, name:version, or name" };
        var command = new Command("versions", "List every version of a model, highest first, with the services using each") { model };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveModelAsync(client, parseResult.GetValue(model)!, allowLatest: true, ct);
            var versions = await client.ListModelVersionsAsync(id, ct);
            session.Emit(versions, v => Versions(v.Versions));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Creates <c>model new-version</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command CreateNewVersion(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "Model id, name:version, or name (newest version): the version whose settings are copied" };
        var version = new Option<string?>("--version") { Description = "The new version (default: the highest one with its last part raised)" };
        var source = new Option<string?>("--source") { Description = "Another package folder, obs://bucket/path/ (default: the same one)" };
        var description = new Option<string?>("--description") { Description = "Description" };
        var runtime = new Option<string?>("--runtime") { Description = "Runtime name" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after creating the version" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for publishing", DefaultValueFactory = _ => 1800 };
        var command = new Command("new-version", "Create a new version of a model from the settings of an existing one")
        {
            model, version, source, description, runtime, noWait, timeout,
        };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var location = parseResult.GetValue(source) is { } text ? Arguments.ObsUri(text) : null;
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveModelAsync(client, parseResult.GetValue(model)!, allowLatest: true, ct);
            var created = await client.CreateModelVersionAsync(
                id,
                new CreateModelVersionRequest
                {
                    ModelVersion = parseResult.GetValue(version),
                    SourceLocation = location is null ? null : (location with { Key = location.KeyAsPrefix }).ToString(),
                    Description = parseResult.GetValue(description),
                    Runtime = parseResult.GetValue(runtime),
                },
                ct);
            session.Info($"created model {created.ModelId}");
            return await ModelImportCommand.WaitAndReportAsync(session, client, created.ModelId, $"model version {created.ModelId}", parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }

    /// <summary>Creates <c>model templates</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command CreateTemplates(CliContext context)
    {
        var type = new Option<string?>("--type") { Description = "Task type filter, e.g. Classification" };
        var engine = new Option<string?>("--engine") { Description = "Engine filter, e.g. PyTorch" };
        var environment = new Option<string?>("--environment") { Description = "Environment filter, e.g. python3.6" };
        var keyword = new Option<string?>("--keyword") { Description = "Keyword searched in names and descriptions" };
        var command = new Command("templates", "List the model templates usable with model import --template") { type, engine, environment, keyword };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var list = await client.ListModelTemplatesAsync(
                new ModelTemplateQuery
                {
                    Type = parseResult.GetValue(type),
                    Engine = parseResult.GetValue(engine),
                    Environment = parseResult.GetValue(environment),
                    Keyword = parseResult.GetValue(keyword),
                },
                ct);
            session.Emit(list, l => Templates(l.Templates));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Spectre.Console.Table Versions(IEnumerable<ModelVersionSummary> versions)
    {
        var table = Tables.Create("Version", "ID", "Status", "Size", "Source", "Services", "Created");
        foreach (var v in versions)
        {
            Tables.Row(table, v.ModelVersion, v.ModelId, v.ModelStatus, Tables.Size(v.ModelSize), v.SourceLocation,
                string.Join(", ", v.Services.Select(s => $"{s.ServiceName} ({s.Status})")), Tables.Time(v.CreateAt));
        }

        return table;
    }

    private static Spectre.Console.Table Templates(IEnumerable<ModelTemplate> templates)
    {
        var table = Tables.Create("ID", "Type", "Engine", "Environment", "Mode", "Mode fixed", "Runs here");
        foreach (var t in templates)
        {
            Tables.Row(table, t.TemplateId, t.Type, t.Engine, t.Environment, t.InferFormat, t.InferFormatOverridable ? "no" : "yes", t.RunnableHere ? "yes" : "no");
        }

        return table;
    }
}
