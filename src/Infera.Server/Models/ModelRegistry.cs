using System.Threading.Channels;
using Infera.Core;
using Infera.Core.Errors;
using Infera.Core.Events;
using Infera.Core.Identity;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Packaging;
using Infera.Server.Hosting;
using Infera.Server.Objects;
using Infera.Storage.Stores;

namespace Infera.Server.Models;

/// <summary>
/// The model registry's API-side rules (R-M1, R-M5, R-M6, R-M8): validates an import request, records the model
/// as <c>publishing</c> and queues the package copy; lists, shows and deletes models.
/// </summary>
public sealed class ModelRegistry(ModelStore models, ServiceStore services, EventStore events, ObjectStorageService objects,
    ModelImportChannel queue, InferaPaths paths, TimeProvider time)
{
    private static readonly string[] KnownInstallTypes = [InferTypes.RealTime, InferTypes.Batch];

    /// <summary>Validates and records an import; the package is copied and checked in the background.</summary>
    /// <returns>The new model id.</returns>
    /// <exception cref="InferaException">400 for invalid fields or source, 409 ModelArts.3002 for a duplicate.</exception>
    public ModelRecord Create(CallerIdentity caller, CreateModelRequest request)
    {
        var name = request.ModelName ?? throw Errors.Missing("model_name");
        if (!Naming.IsValidName(name))
        {
            throw Errors.InvalidParameter("model_name", name, "use 1-64 letters, Chinese characters, digits, '-' or '_'.");
        }

        var version = string.IsNullOrEmpty(request.ModelVersion) ? "0.0.1" : request.ModelVersion;
        if (!Naming.IsValidVersion(version))
        {
            throw Errors.InvalidParameter("model_version", version, "use A.B.C with each part 0-99 and no leading zero, e.g. 1.0.0.");
        }

        if (!Naming.IsValidDescription(request.Description, Naming.ModelDescriptionForbidden))
        {
            throw Errors.InvalidParameter("description", request.Description, "at most 100 characters and none of & ! ' \" < > =.");
        }

        string? modelType = null;
        if (!string.IsNullOrEmpty(request.ModelType))
        {
            modelType = ModelTypes.Canonicalize(request.ModelType)
                ?? throw Errors.InvalidParameter("model_type", request.ModelType, $"use one of {string.Join(", ", ModelTypes.All)}.");
        }

        var installTypes = request.InstallType is { Count: > 0 } ? request.InstallType : [.. KnownInstallTypes];
        foreach (var installType in installTypes)
        {
            if (!KnownInstallTypes.Contains(installType))
            {
                throw Errors.InvalidParameter("install_type", installType, "use real-time and/or batch.");
            }
        }

        var source = request.SourceLocation ?? throw Errors.Missing("source_location");
        objects.ResolveFolder(caller.ProjectId, source);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var model = new ModelRecord
        {
            Id = Ids.NewUuid(),
            ProjectId = caller.ProjectId,
            DomainId = caller.DomainId,
            OwnerId = caller.UserId,
            Name = name,
            Version = version,
            ModelType = modelType ?? "",
            Runtime = request.Runtime ?? "",
            Status = ModelStatus.Publishing,
            Description = request.Description ?? "",
            SourceLocation = source,
            InstallType = string.Join(',', installTypes.Distinct()),
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!models.TryInsert(model))
        {
            throw Errors.ModelExists(name, version);
        }

        events.Add(new EventRecord(model.Id, EventRecord.Normal, ModelEvents.ImportStarted, now));
        queue.Enqueue(model.Id);
        return model;
    }

    /// <summary>The model of the project, or 404 ModelArts.3001.</summary>
    public ModelRecord Get(string projectId, string modelId) => models.Find(projectId, modelId) ?? throw Errors.ModelNotFound(modelId);

    /// <summary>
    /// Deletes a model (and with <paramref name="cascade"/> up to 20 versions of the same name). Versions used by a
    /// service land in the failed list with ModelArts.3009 (spec §2.4).
    /// </summary>
    public (List<string> Deleted, List<(string ModelId, InferaException Error)> Failed) Delete(string projectId, string modelId, bool cascade)
    {
        var model = Get(projectId, modelId);
        var targets = new List<ModelRecord> { model };
        if (cascade)
        {
            var (page, _) = models.List(projectId, new ModelQuery { Name = model.Name, ExactMatch = true, Limit = 1000 });
            targets.AddRange(page.Where(m => m.Name == model.Name && m.Id != model.Id));
            targets = targets.Take(20).ToList();
        }

        var users = services.ListByProject(projectId);
        var deleted = new List<string>();
        var failed = new List<(string, InferaException)>();
        foreach (var target in targets)
        {
            var user = users.FirstOrDefault(s => s.Config.Any(c => c.ModelId == target.Id));
            if (user is not null)
            {
                failed.Add((target.Id, Errors.ModelInUse(target.Id, user.Name)));
                continue;
            }

            if (target.Status == ModelStatus.Publishing)
            {
                failed.Add((target.Id, Errors.InvalidArgument($"Model {target.Id} is still being imported; delete it when the import has ended.")));
                continue;
            }

            models.Delete(target.Id);
            events.DeleteFor(target.Id);
            ModelImporter.DeleteTree(Path.Combine(paths.Models, target.Id));
            deleted.Add(target.Id);
        }

        return (deleted, failed);
    }
}

/// <summary>The import jobs waiting for <see cref="ModelImporter"/>.</summary>
public sealed class ModelImportChannel
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>();

    /// <summary>Queues the import of a model id.</summary>
    public void Enqueue(string modelId) => _channel.Writer.TryWrite(modelId);

    /// <summary>The queued ids, in order.</summary>
    public ChannelReader<string> Reader => _channel.Reader;
}
