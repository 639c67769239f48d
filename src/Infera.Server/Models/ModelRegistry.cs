using System.Text.Json.Nodes;
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
    ModelImportChannel queue, InferaPaths paths, DependencyBuilder dependencies, TimeProvider time)
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

        var (template, inferFormat, templateSource) = ReadTemplate(request);
        string? modelType = template?.Engine;
        if (template is null && !string.IsNullOrEmpty(request.ModelType))
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

        var source = templateSource ?? request.SourceLocation ?? throw Errors.Missing("source_location");
        if (template is not null && request.DynamicLoad == true)
        {
            throw Errors.InvalidParameter("dynamic_load", "true", "template imports write a generated config.json and are always copied; import a folder with its own config.json to load it dynamically.");
        }
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
            Runtime = request.Runtime ?? template?.Environment ?? "",
            TemplateId = template?.Id ?? "",
            DynamicLoad = request.DynamicLoad ?? false,
            InferFormat = inferFormat ?? "",
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

    /// <summary>
    /// "Create new version" (MISSION R-M5, seed 003 §2.2.3 "创建新版本"): imports a new version of the model of
    /// <paramref name="modelId"/> starting from its settings. Fields of <paramref name="overrides"/> that are set win;
    /// the others are copied: source_location, description, install_type, and (only when the source stays the same)
    /// model_type and runtime. The version defaults to the highest existing version with its last part raised
    /// (1.0.9 → 1.0.10; x.y.99 → x.(y+1).0).
    /// </summary>
    /// <param name="caller">The caller (project scope).</param>
    /// <param name="modelId">Any version of the model.</param>
    /// <param name="overrides">Fields to change; <c>model_name</c>, when given, must be the model's name.</param>
    /// <returns>The new version, <c>publishing</c>.</returns>
    /// <exception cref="InferaException">404 ModelArts.3001 for an unknown model; 400 for invalid fields, a different name, or no version left after 99.99.99; 409 ModelArts.3002 for a version that exists.</exception>
    public ModelRecord CreateVersion(CallerIdentity caller, string modelId, CreateModelRequest overrides)
    {
        var previous = Get(caller.ProjectId, modelId);
        if (overrides.ModelName is not null && overrides.ModelName != previous.Name)
        {
            throw Errors.InvalidParameter("model_name", overrides.ModelName, $"a new version keeps the model's name {previous.Name}.");
        }

        var sameSource = overrides.SourceLocation is null || overrides.SourceLocation == previous.SourceLocation;
        if (previous.TemplateId.Length > 0 && overrides.Template is null && overrides.ModelType is null)
        {
            overrides.ModelType = TemplateModelType;
            overrides.Template = new TemplateRequest
            {
                TemplateId = previous.TemplateId,
                InferFormat = previous.InferFormat,
                TemplateInputs = [new TemplateInput { InputId = ModelTemplate.ModelInputId, Input = overrides.SourceLocation ?? previous.SourceLocation }],
            };
        }

        var request = new CreateModelRequest
        {
            ModelName = previous.Name,
            ModelVersion = overrides.ModelVersion ?? NextVersion(ListVersions(caller.ProjectId, previous.Name).Select(v => v.Version)),
            SourceLocation = overrides.SourceLocation ?? previous.SourceLocation,
            ModelType = overrides.ModelType ?? (sameSource && previous.ModelType.Length > 0 ? previous.ModelType : null),
            Runtime = overrides.Runtime ?? (sameSource && previous.Runtime.Length > 0 ? previous.Runtime : null),
            Description = overrides.Description ?? previous.Description,
            InstallType = overrides.InstallType ?? [.. previous.InstallTypes],
            Template = overrides.Template,
            DynamicLoad = overrides.DynamicLoad ?? previous.DynamicLoad,
        };
        return Create(caller, request);
    }

    /// <summary>Every version of the model named <paramref name="name"/> in the project, highest version first.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="name">The exact model name.</param>
    /// <returns>The versions (at most 1000).</returns>
    public IReadOnlyList<ModelRecord> ListVersions(string projectId, string name)
    {
        var (page, _) = models.List(projectId, new ModelQuery { Name = name, ExactMatch = true, Limit = 1000, SortBy = "model_version" });
        return [.. page.Where(m => m.Name == name)];
    }

    /// <summary>The services of the project whose config uses <paramref name="modelId"/> (R-M7 "associated services").</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="modelId">The model version.</param>
    /// <returns>The services, in the store's order.</returns>
    public IReadOnlyList<ServiceRecord> ServicesUsing(string projectId, string modelId) =>
        [.. services.ListByProject(projectId).Where(s => s.Config.Any(c => c.ModelId == modelId))];

    /// <summary>The version after the highest of <paramref name="versions"/>: last part + 1, carrying at 99; 0.0.1 when none.</summary>
    /// <param name="versions">Existing <c>A.B.C</c> versions.</param>
    /// <returns>The next free version.</returns>
    /// <exception cref="InferaException">400 when the highest version is 99.99.99.</exception>
    public static string NextVersion(IEnumerable<string> versions)
    {
        var highest = versions.Select(ParseVersion).DefaultIfEmpty((0, 0, 0)).Max();
        var (major, minor, patch) = highest;
        if (highest == (0, 0, 0))
        {
            return "0.0.1";
        }

        patch++;
        if (patch > 99)
        {
            (minor, patch) = (minor + 1, 0);
        }

        if (minor > 99)
        {
            (major, minor) = (major + 1, 0);
        }

        return major > 99
            ? throw Errors.InvalidParameter("model_version", null, "the model has version 99.99.99; give model_version explicitly.")
            : $"{major}.{minor}.{patch}";
    }

    private static (int, int, int) ParseVersion(string version)
    {
        var parts = version.Split('.');
        return parts.Length == 3 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && int.TryParse(parts[2], out var c)
            ? (a, b, c)
            : (0, 0, 0);
    }

    // Template mode of spec §2.1 / seed 003 §2.2.2 and §4.2.1: the template fixes engine, runtime and mode; a general
    // template's undefined mode may be overridden, a specific template's may not.
    private static (ModelTemplate? Template, string? InferFormat, string? Source) ReadTemplate(CreateModelRequest request)
    {
        var templateMode = string.Equals(request.ModelType, TemplateModelType, StringComparison.OrdinalIgnoreCase);
        if (!templateMode && request.Template is null)
        {
            return (null, null, null);
        }

        if (!templateMode)
        {
            throw Errors.InvalidParameter("model_type", request.ModelType, $"a template import has model_type {TemplateModelType}.");
        }

        var body = request.Template ?? throw Errors.Missing("template");
        var id = body.TemplateId ?? throw Errors.Missing("template.template_id");
        var template = ModelTemplates.Find(id)
            ?? throw Errors.InvalidParameter("template.template_id", id, "no such template; GET /v1/{project_id}/models/templates lists them.");
        var mode = template.InferFormatId;
        if (!string.IsNullOrEmpty(body.InferFormat))
        {
            var chosen = InferFormats.Find(body.InferFormat)
                ?? throw Errors.InvalidParameter("template.infer_format", body.InferFormat, $"use one of {string.Join(", ", InferFormats.All.Select(f => f.Id))}.");
            if (chosen.Id != template.InferFormatId && !template.Overridable)
            {
                throw Errors.InvalidParameter("template.infer_format", body.InferFormat,
                    $"template {template.Id} fixes the input/output mode {template.InferFormatId}, which cannot be overridden (seed 003 §4.2.1).");
            }

            mode = chosen.Id;
        }

        var inputs = body.TemplateInputs is { Count: > 0 } list ? list : throw Errors.Missing("template.template_inputs");
        var duplicate = inputs.GroupBy(i => i.InputId ?? "").FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Errors.DuplicateTemplateInput(duplicate.Key);
        }

        var model = inputs.FirstOrDefault(i => i.InputId == ModelTemplate.ModelInputId) ?? (inputs.Count == 1 ? inputs[0] : null)
            ?? throw Errors.Missing($"template.template_inputs[input_id={ModelTemplate.ModelInputId}]");
        var source = string.IsNullOrEmpty(model.Input) ? throw Errors.Missing("template.template_inputs[].input") : model.Input;
        return (template, mode, source);
    }

    /// <summary>The <c>model_type</c> of a template import (spec §2.1).</summary>
    public const string TemplateModelType = "Template";

    /// <summary>
    /// Edits a model version (seed 003 §2.3 "运行时依赖", §2.6 events; MISSION R-M10): <c>description</c>, and/or
    /// <c>dependencies</c> (config.json table 4-6 shape), which replace the stored ones and rebuild the version's
    /// environment in the background (status <c>building</c>, then <c>published</c> or <c>building_failed</c>).
    /// </summary>
    /// <param name="caller">The caller (project scope).</param>
    /// <param name="modelId">The version.</param>
    /// <param name="request">The fields to change; absent fields stay.</param>
    /// <exception cref="InferaException">404 ModelArts.3001; 400 ModelArts.3037 for an invalid description or dependencies
    /// (every violation with its JSON path); 400 ModelArts.0101 while the version is still importing or building;
    /// ModelArts.3009 while a service uses it (its instances run on the current environment).</exception>
    public void Update(CallerIdentity caller, string modelId, UpdateModelRequest request)
    {
        var model = Get(caller.ProjectId, modelId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (request.Description is not null && request.Description != model.Description)
        {
            if (!Naming.IsValidDescription(request.Description, Naming.ModelDescriptionForbidden))
            {
                throw Errors.InvalidParameter("description", request.Description, "at most 100 characters and none of & ! ' \" < > =.");
            }

            model = model with { Description = request.Description, UpdatedAt = now };
            models.Update(model);
            events.Add(new EventRecord(model.Id, EventRecord.Normal, ModelEvents.DescriptionUpdated, now));
        }

        if (request.Dependencies is null)
        {
            return;
        }

        if (model.Status is not (ModelStatus.Published or ModelStatus.BuildingFailed))
        {
            throw Errors.InvalidArgument($"Model {model.Id} is {model.Status}; dependencies can be edited once it is published or building_failed.");
        }

        var users = ServicesUsing(caller.ProjectId, model.Id);
        if (users.Count > 0)
        {
            throw Errors.ModelInUse(model.Id, users[0].Name);
        }

        var config = JsonNode.Parse(model.ConfigJson, documentOptions: ModelConfigReader.DocumentOptions)!.AsObject();
        var previous = config["dependencies"]?.DeepClone() ?? new JsonArray();
        config["dependencies"] = request.Dependencies.DeepClone();
        var read = ModelConfigReader.Read(config.ToJsonString());
        if (read.Config is null || read.Errors.Count > 0)
        {
            throw Errors.InvalidParameter("dependencies", null, string.Join(" ", read.Errors.Select(e => $"{e.Path}: {e.Message}")));
        }

        if (JsonNode.DeepEquals(previous, request.Dependencies) && model.Status == ModelStatus.Published)
        {
            events.Add(new EventRecord(model.Id, EventRecord.Normal, ModelEvents.DependenciesNotUpdated, now));
            return;
        }

        models.Update(model with { ConfigJson = read.Config.NormalizedJson, Status = ModelStatus.Building, ErrorMessage = "", UpdatedAt = now });
        events.Add(new EventRecord(model.Id, EventRecord.Normal, ModelEvents.DependenciesUpdated, now));
        queue.Enqueue(model.Id);
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
            dependencies.Delete(target.Id);
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
