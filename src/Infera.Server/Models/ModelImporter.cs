using Infera.Core.Events;
using Infera.Core.Models;
using Infera.Packaging;
using Infera.Server.Hosting;
using Infera.Server.Hosting.Background;
using Infera.Server.Objects;
using Infera.Storage.Faults;
using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Models;

/// <summary>
/// Runs queued imports one at a time: copies the package from the object store into a staging folder, inspects it
/// (<see cref="ModelPackageInspector"/>), and either moves it into immutable platform storage
/// (<c>&lt;data&gt;/models/&lt;model_id&gt;/</c>, files made read-only) and publishes the model, or fails it with one
/// event per violation (seed 003 §2.6). Imports left in <c>publishing</c> by a stopped server are redone at start.
/// </summary>
public sealed partial class ModelImporter(ModelStore models, EventStore events, ObjectStorageService objects, ModelImportChannel queue,
    InferaPaths paths, DependencyBuilder dependencies, OnnxInspector onnx, BackgroundLoopRunner loops, TimeProvider time, ILogger<ModelImporter> logger) : BackgroundService
{
    /// <summary>Deletes a folder tree, making read-only files writable first; missing folders are fine.</summary>
    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(path, recursive: true);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loops.RunAsync(new BackgroundLoop
    {
        Name = "model-importer",
        // Imports a stopped server left publishing (or building) are redone.
        Start = BackgroundLoop.Sync(() =>
        {
            foreach (var pending in models.ListByStatus(ModelStatus.Publishing).Concat(models.ListByStatus(ModelStatus.Building)))
            {
                queue.Enqueue(pending.Id);
            }
        }),
        Tick = ImportQueuedAsync,
        Wait = async ct => await queue.Reader.WaitToReadAsync(ct),
    }, stoppingToken);

    // Shutdown leaves an import cut short publishing; it is redone at the next start. A busy metadata store puts the
    // import back in the queue and fails the tick, so the loop backs off and tries again; any other failure fails the
    // model with an event naming it (a full or read-only data folder by its documented error).
    private async ValueTask ImportQueuedAsync(CancellationToken cancellationToken)
    {
        while (queue.Reader.TryRead(out var modelId))
        {
            try
            {
                await ImportAsync(modelId, cancellationToken);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                if (StorageFaults.Classify(e) == Core.Errors.StorageFault.StoreBusy)
                {
                    queue.Enqueue(modelId);
                    throw;
                }

                var storage = StorageFaults.ToError(e);
                if (storage is null)
                {
                    LogImportCrashed(logger, modelId, e);
                }

                try
                {
                    if (models.FindAny(modelId) is { } model)
                    {
                        Fail(model, [storage is null
                            ? $"{ModelEvents.ImportFailed} Unexpected error ({e.GetType().Name}: {e.Message}); the server log has the details."
                            : $"{ModelEvents.ImportFailed} {storage.ErrorCode}: {storage.Message}"]);
                    }
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The store cannot take the failure either: try the whole import again after the back-off.
                    queue.Enqueue(modelId);
                    throw;
                }
            }
        }
    }

    private async Task ImportAsync(string modelId, CancellationToken cancellationToken)
    {
        var model = models.FindAny(modelId);
        if (model is { Status: ModelStatus.Building })
        {
            await RebuildAsync(model, cancellationToken);
            return;
        }

        if (model is null || model.Status != ModelStatus.Publishing)
        {
            return;
        }

        var staging = Path.Combine(paths.Models, ".staging", model.Id);
        var final = Path.Combine(paths.Models, model.Id);
        DeleteTree(staging);
        DeleteTree(final);
        try
        {
            string source;
            try
            {
                source = objects.ResolveFolder(model.ProjectId, model.SourceLocation);
            }
            catch (Core.Errors.InferaException e)
            {
                Fail(model, [e.Message]);
                return;
            }

            if (model.DynamicLoad)
            {
                await ImportDynamicAsync(model, source, cancellationToken);
                return;
            }

            var tooLarge = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
                .Where(f => new FileInfo(f).Length > MaxCopiedFileBytes)
                .Select(f => ModelEvents.ModelFileTooLarge(Path.GetRelativePath(source, f)) + " Import it with dynamic_load: true.")
                .ToList();
            if (tooLarge.Count > 0)
            {
                Fail(model, tooLarge);
                return;
            }

            CopyFolder(source, staging, cancellationToken);
            if (model.TemplateId.Length > 0 && !WriteTemplateConfig(model, staging))
            {
                return;
            }

            var inspection = ModelPackageInspector.Inspect(staging);
            foreach (var warning in inspection.Warnings)
            {
                AddEvent(model.Id, EventRecord.Normal, $"Warning: {warning}");
            }

            var problems = inspection.Errors.Select(Describe).ToList();
            var config = inspection.Config;
            if (config is not null && model.ModelType.Length > 0 && !string.Equals(ModelTypes.Canonicalize(config.ModelType), model.ModelType, StringComparison.Ordinal))
            {
                problems.Add($"{ModelEvents.InvalidField("model_type")} The request says {model.ModelType} but config.json says {config.ModelType}.");
            }

            if (config is not null && config.IsCustomEngine && config.Command is null)
            {
                problems.Add($"{ModelEvents.InvalidField(CustomEngine.CommandField)} $.{CustomEngine.CommandField}: a custom engine (Image) model needs a start command, e.g. \"python3 server.py\"; the program must listen on 127.0.0.1 at the port in the PORT environment variable.");
            }

            if (problems.Count > 0 || !inspection.IsValid || config is null)
            {
                Fail(model, problems.Count > 0 ? problems : [ModelEvents.ImportFailed]);
                return;
            }

            var configJson = config.IsOnnx ? await CompleteOnnxAsync(model, inspection, config, staging, cancellationToken) : config.NormalizedJson;
            if (configJson is null)
            {
                return;
            }

            Directory.Move(staging, final);
            MakeReadOnly(final);
            var modelDirectory = Path.Combine(final, Path.GetRelativePath(staging, inspection.ModelDirectory!));
            AddEvent(model.Id, EventRecord.Normal, ModelEvents.FileImported);
            AddEvent(model.Id, EventRecord.Normal, ModelEvents.SizeCalculated);
            var status = ModelStatus.Published;
            if (DependencyBuilder.HasPackages(config))
            {
                status = await BuildEnvironmentAsync(model.Id, modelDirectory, config, cancellationToken) ? ModelStatus.Published : ModelStatus.BuildingFailed;
            }

            models.Update(model with
            {
                Status = status,
                ErrorMessage = status == ModelStatus.Published ? "" : "The runtime dependencies cannot be satisfied; see the model events and edit the dependencies to rebuild.",
                ModelType = ModelTypes.Canonicalize(config.ModelType) ?? config.ModelType,
                Runtime = model.Runtime.Length > 0 ? model.Runtime : config.Runtime ?? "",
                ModelAlgorithm = config.ModelAlgorithm,
                ConfigJson = configJson,
                ModelDirectory = modelDirectory,
                SizeBytes = inspection.SizeBytes,
                UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            });
            if (status == ModelStatus.Published)
            {
                AddEvent(model.Id, EventRecord.Normal, ModelEvents.ImportSucceeded);
            }
        }
        finally
        {
            DeleteTree(staging);
        }
    }

    /// <summary>Files larger than this (5 GiB) are only accepted with dynamic loading (seed 003 §2.6, table 2-8).</summary>
    public const long MaxCopiedFileBytes = 5L * 1024 * 1024 * 1024;

    // R-M9: the package is checked where it lies in the object store; nothing is copied. Instances fetch the files.
    private async Task ImportDynamicAsync(ModelRecord model, string source, CancellationToken cancellationToken)
    {
        var inspection = ModelPackageInspector.Inspect(source);
        foreach (var warning in inspection.Warnings)
        {
            AddEvent(model.Id, EventRecord.Normal, $"Warning: {warning}");
        }

        var problems = inspection.Errors.Select(Describe).ToList();
        var config = inspection.Config;
        if (config is not null && model.ModelType.Length > 0 && !string.Equals(ModelTypes.Canonicalize(config.ModelType), model.ModelType, StringComparison.Ordinal))
        {
            problems.Add($"{ModelEvents.InvalidField("model_type")} The request says {model.ModelType} but config.json says {config.ModelType}.");
        }

        if (config is not null && config.IsCustomEngine && config.Command is null)
        {
            problems.Add($"{ModelEvents.InvalidField(CustomEngine.CommandField)} $.{CustomEngine.CommandField}: a custom engine (Image) model needs a start command.");
        }

        if (problems.Count > 0 || !inspection.IsValid || config is null)
        {
            Fail(model, problems.Count > 0 ? problems : [ModelEvents.ImportFailed]);
            return;
        }

        var configJson = config.IsOnnx ? await CompleteOnnxAsync(model, inspection, config, source, cancellationToken) : config.NormalizedJson;
        if (configJson is null)
        {
            return;
        }

        AddEvent(model.Id, EventRecord.Normal, $"Dynamic loading: the model files stay in {model.SourceLocation} and are fetched when an instance starts.");
        AddEvent(model.Id, EventRecord.Normal, ModelEvents.SizeCalculated);
        var status = ModelStatus.Published;
        if (DependencyBuilder.HasPackages(config))
        {
            status = await BuildEnvironmentAsync(model.Id, inspection.ModelDirectory!, config, cancellationToken) ? ModelStatus.Published : ModelStatus.BuildingFailed;
        }

        models.Update(model with
        {
            Status = status,
            ErrorMessage = status == ModelStatus.Published ? "" : "The runtime dependencies cannot be satisfied; see the model events and edit the dependencies to rebuild.",
            ModelType = ModelTypes.Canonicalize(config.ModelType) ?? config.ModelType,
            Runtime = model.Runtime.Length > 0 ? model.Runtime : config.Runtime ?? "",
            ModelAlgorithm = config.ModelAlgorithm,
            ConfigJson = configJson,
            ModelDirectory = inspection.ModelDirectory!,
            SizeBytes = inspection.SizeBytes,
            UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        if (status == ModelStatus.Published)
        {
            AddEvent(model.Id, EventRecord.Normal, ModelEvents.ImportSucceeded);
        }
    }

    // ONNX: the model's own tensors complete config.json (inputs, outputs, generated apis), read by the worker's --inspect so
    // that ONNX Runtime never loads into the server. A file it cannot load, or a config that contradicts the model, fails the
    // import; null then (the failure events are written).
    private async Task<string?> CompleteOnnxAsync(ModelRecord model, PackageInspection inspection, ModelConfig config, string root, CancellationToken cancellationToken)
    {
        var display = Path.GetRelativePath(root, inspection.ModelFile!).Replace(Path.DirectorySeparatorChar, '/');
        var described = await onnx.InspectAsync(inspection.ModelFile!, display, cancellationToken);
        if (described.Error is { } error)
        {
            Fail(model, [error]);
            return null;
        }

        var completion = OnnxConfigCompletion.Complete(config, described.Inputs, described.Outputs);
        if (completion.Errors.Count > 0)
        {
            Fail(model, [.. completion.Errors.Select(Describe)]);
            return null;
        }

        AddEvent(model.Id, EventRecord.Normal,
            $"ONNX model {display}: inputs {string.Join(", ", described.Inputs.Select(t => t.Describe()))}; outputs {string.Join(", ", described.Outputs.Select(t => t.Describe()))}" +
            (config.Apis.Count == 0 ? "; apis generated from them." : "."));
        foreach (var warning in completion.Warnings)
        {
            AddEvent(model.Id, EventRecord.Normal, $"Warning: {warning}");
        }

        return completion.ConfigJson;
    }

    // R-M10: satisfy the declared pip packages from the runtime Python or shipped wheels; events say how, or why not.
    private async Task<bool> BuildEnvironmentAsync(string modelId, string modelDirectory, ModelConfig config, CancellationToken cancellationToken)
    {
        AddEvent(modelId, EventRecord.Normal, $"Building the runtime environment from {config.Dependencies.Sum(g => g.Packages.Count)} dependencies.");
        var result = await dependencies.BuildAsync(modelId, modelDirectory, config.Dependencies, cancellationToken);
        foreach (var line in result.Summary)
        {
            AddEvent(modelId, EventRecord.Normal, $"Dependency {line}");
        }

        if (result.Ok)
        {
            AddEvent(modelId, EventRecord.Normal, "Runtime environment built successfully.");
            return true;
        }

        foreach (var error in result.Errors)
        {
            AddEvent(modelId, EventRecord.Abnormal, $"Failed to build the runtime environment: {error}.");
        }

        AddEvent(modelId, EventRecord.Abnormal, $"Build log {result.LogPath}: {result.LogTail}");
        LogImportFailed(logger, modelId, string.Join(" ", result.Errors));
        return false;
    }

    // R-M10: the dependencies of a published (or building_failed) version were edited.
    private async Task RebuildAsync(ModelRecord model, CancellationToken cancellationToken)
    {
        var config = ModelConfigReader.Read(model.ConfigJson).Config;
        var ok = config is null || !DependencyBuilder.HasPackages(config)
            ? RemoveEnvironment(model.Id)
            : await BuildEnvironmentAsync(model.Id, model.ModelDirectory, config, cancellationToken);
        models.Update(model with
        {
            Status = ok ? ModelStatus.Published : ModelStatus.BuildingFailed,
            ErrorMessage = ok ? "" : "The runtime dependencies cannot be satisfied; see the model events and edit the dependencies to rebuild.",
            UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
    }

    private bool RemoveEnvironment(string modelId)
    {
        dependencies.Delete(modelId);
        AddEvent(modelId, EventRecord.Normal, "No dependencies are declared; the runtime Python is used as it is.");
        return true;
    }

    // Template import (seed 003 §2.2.2): the folder has no config.json of its own; the template and mode write one.
    private bool WriteTemplateConfig(ModelRecord model, string staging)
    {
        var template = ModelTemplates.Find(model.TemplateId);
        var mode = InferFormats.Find(model.InferFormat);
        if (template is null || mode is null)
        {
            Fail(model, [$"Template {model.TemplateId} or input/output mode {model.InferFormat} is not known to this server."]);
            return false;
        }

        var modelFolder = Path.Combine(staging, ModelPackageInspector.ModelFolderName);
        var target = Path.Combine(Directory.Exists(modelFolder) ? modelFolder : staging, ModelPackageInspector.ConfigFileName);
        if (File.Exists(target))
        {
            AddEvent(model.Id, EventRecord.Normal, $"Warning: the folder's {ModelPackageInspector.ConfigFileName} is replaced by the one of template {template.Id}.");
        }

        File.WriteAllText(target, template.BuildConfig(mode));
        return true;
    }

    private static string Describe(PackageProblem problem)
    {
        // "$.apis[0].method" → "Invalid apis in config.json. $.apis[0].method: ..."; layout problems keep their file path.
        if (problem.Path.StartsWith("$.", StringComparison.Ordinal))
        {
            var field = problem.Path[2..].Split('.', '[')[0];
            return $"{ModelEvents.InvalidField(field)} {problem.Path}: {problem.Message}";
        }

        return problem.Path is "$" or "" ? problem.Message : $"{problem.Path}: {problem.Message}";
    }

    private void Fail(ModelRecord model, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            AddEvent(model.Id, EventRecord.Abnormal, problem);
        }

        AddEvent(model.Id, EventRecord.Abnormal, ModelEvents.ImportFailed);
        models.Update(model with
        {
            Status = ModelStatus.Failed,
            ErrorMessage = string.Join(" ", problems),
            UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        LogImportFailed(logger, model.Id, string.Join(" ", problems));
    }

    private void AddEvent(string modelId, string type, string info) =>
        events.Add(new EventRecord(modelId, type, info, time.GetUtcNow().ToUnixTimeMilliseconds()));

    private static void CopyFolder(string source, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is not null)
            {
                // Objects are plain files; a link can only come from someone editing the data folder by hand.
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                CopyFolder(directory.FullName, target, cancellationToken);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    private static void MakeReadOnly(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.ReadOnly);
        }
    }

    [LoggerMessage(EventId = 1201, EventName = "ImportFailed", Level = LogLevel.Information, Message = "Import of model {ModelId} failed: {Reason}")]
    private static partial void LogImportFailed(ILogger logger, string modelId, string reason);

    [LoggerMessage(EventId = 1202, EventName = "ImportCrashed", Level = LogLevel.Error, Message = "Import of model {ModelId} crashed.")]
    private static partial void LogImportCrashed(ILogger logger, string modelId, Exception exception);
}
