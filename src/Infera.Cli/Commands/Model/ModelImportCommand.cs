using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client;
using Infera.Client.Models;

namespace Infera.Cli.Commands.Model;

/// <summary>
/// <c>infera model import --name &lt;n&gt; --version &lt;v&gt; --source obs://bucket/path [--type …] [--runtime …] [--description …]
/// [--dynamic-load] [--template &lt;id&gt; [--infer-format &lt;mode&gt;]] [--no-wait]</c>:
/// creates a model from a package in the object store and waits until it is <c>published</c> or <c>failed</c>.
/// Without <c>--type</c> the type is read from the package's config.json.
/// </summary>
internal static class ModelImportCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "Model name", Required = true };
        var version = new Option<string>("--version") { Description = "Model version, e.g. 1.0.0", Required = true };
        var source = new Option<string>("--source") { Description = "Package folder, obs://bucket/path/", Required = true };
        var type = new Option<string?>("--type") { Description = "model_type (default: model_type of the package's config.json)" };
        var runtime = new Option<string?>("--runtime") { Description = "Runtime name" };
        var description = new Option<string?>("--description") { Description = "Description" };
        var dynamicLoad = new Option<bool>("--dynamic-load") { Description = "Keep the files in the object store; instances fetch them at start (needed for files over 5 GiB)" };
        var template = new Option<string?>("--template") { Description = "Import a folder without config.json with this template (see GET …/models/templates)" };
        var inferFormat = new Option<string?>("--infer-format") { Description = "Input/output mode replacing the template's: object_detection, image_processing, predict_analysis, undefined" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after creating the model" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for publishing", DefaultValueFactory = _ => 1800 };
        var command = new Command("import", "Import a model package from the object store")
        {
            name, version, source, type, runtime, description, dynamicLoad, template, inferFormat, noWait, timeout,
        };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var location = Arguments.ObsUri(parseResult.GetValue(source)!);
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var client = await session.GetClientAsync(ct);
            var modelType = parseResult.GetValue(type);
            var templateId = parseResult.GetValue(template);
            var folder = (location with { Key = location.KeyAsPrefix }).ToString();
            if (!string.IsNullOrWhiteSpace(templateId))
            {
                modelType = "Template";
            }
            else if (string.IsNullOrWhiteSpace(modelType))
            {
                modelType = await ModelTypeDetector.DetectAsync(client, location, ct);
                session.Info($"model_type {modelType} (from the package's config.json)");
            }

            var created = await client.CreateModelAsync(
                new CreateModelRequest
                {
                    ModelName = parseResult.GetValue(name)!,
                    ModelVersion = parseResult.GetValue(version)!,
                    ModelType = modelType,
                    SourceLocation = folder,
                    DynamicLoad = parseResult.GetValue(dynamicLoad) ? true : null,
                    Template = string.IsNullOrWhiteSpace(templateId) ? null : new ModelTemplateSpec
                    {
                        TemplateId = templateId,
                        InferFormat = parseResult.GetValue(inferFormat),
                        TemplateInputs = [new ModelTemplateInput("model", folder)],
                    },
                    Runtime = parseResult.GetValue(runtime),
                    Description = parseResult.GetValue(description),
                },
                ct);
            session.Info($"created model {created.ModelId}");
            return await WaitAndReportAsync(session, client, created.ModelId, $"model {parseResult.GetValue(name)} {parseResult.GetValue(version)}", parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// Waits (unless <paramref name="noWait"/>) until the new model is published or failed, prints it, and on failure its
    /// abnormal events.
    /// </summary>
    /// <param name="session">The run.</param>
    /// <param name="client">The client.</param>
    /// <param name="modelId">The new model.</param>
    /// <param name="title">What the progress line calls it.</param>
    /// <param name="noWait">Only fetch it once.</param>
    /// <param name="wait">How long to wait.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns><see cref="ExitCodes.Success"/>, or <see cref="ExitCodes.WaitFailed"/> when the model failed.</returns>
    internal static async Task<int> WaitAndReportAsync(CliSession session, InferaClient client, string modelId, string title, bool noWait, TimeSpan wait, CancellationToken ct)
    {
        var model = noWait
            ? await client.GetModelAsync(modelId, ct)
            : await Waiter.WaitAsync(session, title, wait, c => client.GetModelAsync(modelId, c), m => m.ModelStatus, IsFinal, ct);

        session.Emit(model, Views.Model);
        return await ReportAsync(session, client, model, ct);
    }

    /// <summary>Whether a model status will not change by itself.</summary>
    /// <param name="model">The model.</param>
    /// <returns><see langword="true"/> for published and failed states.</returns>
    internal static bool IsFinal(ModelDetail model) => model.ModelStatus is "published" or "failed" or "building_failed";

    private static async Task<int> ReportAsync(CliSession session, InferaClient client, ModelDetail model, CancellationToken ct)
    {
        if (model.ModelStatus is not ("failed" or "building_failed"))
        {
            return ExitCodes.Success;
        }

        session.Context.Error($"model {model.ModelName} {model.ModelVersion} ({model.ModelId}) {model.ModelStatus}:");
        var events = await client.ListModelEventsAsync(model.ModelId, null, ct);
        Views.PrintAbnormal(session, events.Events);
        return ExitCodes.WaitFailed;
    }
}
