using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Core;
using Infera.Core.Errors;
using Infera.Core.Events;
using Infera.Core.Identity;
using Infera.Core.Models;
using Infera.Core.Objects;
using Infera.Core.Services;
using Infera.Packaging;
using Infera.Server.Objects;
using Infera.Server.Services;
using Infera.Storage.Stores;

namespace Infera.Server.Batch;

/// <summary>
/// The API rules of batch services (R-B1; seed 002, seed 003 §3.2.1; spec §3.1): validates a batch deploy up front —
/// one config item, the model published, batch-installable and not of the <c>undefined</c> mode, the input folder or
/// manifest present, the output folder writable, <c>req_uri</c> one of the model's API urls, the mapping valid for the
/// request schema — records the service and wakes the <see cref="BatchRunner"/>. Quota: 1000 batch services per user.
/// </summary>
public sealed class BatchServices(ServiceStore services, ModelStore models, EventStore events, BatchTaskStore tasks, ObjectStorageService objects, BatchRunner runner, TimeProvider time)
{
    /// <summary>Batch services per user (seed 002 and 003 §3.2.1: "用户最多可创建1000个批量服务").</summary>
    public const int Quota = 1000;

    /// <summary>Validates and records a batch service, which starts deploying at once.</summary>
    /// <param name="caller">The caller (project and owner).</param>
    /// <param name="request">The deploy body; name and description were already checked.</param>
    /// <returns>The stored service.</returns>
    /// <exception cref="InferaException">
    /// 400 ModelArts.3036/3037 (missing or invalid field), 3514 (model without batch input), 3515 (not published),
    /// 3551 (input missing, output not writable), 3572 (malformed OBS URL), 3589 (install type), 3520 (quota);
    /// 404 ModelArts.3507 (model); 409 ModelArts.3503 (name taken).
    /// </exception>
    public ServiceRecord Create(CallerIdentity caller, CreateServiceRequest request)
    {
        var config = Validate(caller.ProjectId, request.Config);
        if (request.RoutingRules is { Count: > 0 } || request.RateLimit is not null || request.RateLimitPerReplica is not null ||
            request.AdditionalProperties?.WebsocketUpgrade == true || request.AppAuth == true)
        {
            throw Errors.InvalidParameter("infer_type", InferTypes.Batch,
                "routing rules, rate limits, WebSocket and app authentication apply to real-time services only.");
        }

        if (services.CountByOwner(caller.UserId, InferTypes.Batch) >= Quota)
        {
            throw Errors.ServiceQuota(InferTypes.Batch, Quota);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var service = new ServiceRecord
        {
            Id = Ids.NewUuid(),
            ProjectId = caller.ProjectId,
            DomainId = caller.DomainId,
            OwnerId = caller.UserId,
            Name = request.ServiceName!,
            Description = request.Description ?? "",
            InferType = InferTypes.Batch,
            Status = ServiceStatus.Deploying,
            DesiredState = ServiceStatus.Running,
            Config = [config],
            PublishAt = now,
            TransitionAt = now,
            UpdateTime = now,
        };
        // The service and its first task appear together: the runner never sees one without the other.
        if (!services.TryInsert(service, batchTaskId: Ids.NewUuid()))
        {
            throw Errors.ServiceExists(service.Name);
        }

        events.Add(new EventRecord(service.Id, EventRecord.Normal, ServiceEvents.StartDeploy, now));
        runner.Wake();
        return service;
    }

    /// <summary>
    /// Called when a batch service is started (<c>PUT status=running</c>): a finished task is run again as a new
    /// task (new task id and result folder); a stopped or failed one continues where it stopped.
    /// </summary>
    public void OnStart(ServiceRecord service)
    {
        if (service.Status == ServiceStatus.Finished || tasks.Find(service.Id) is null)
        {
            tasks.Create(service.Id, Ids.NewUuid());
        }

        runner.Wake();
    }

    /// <summary>Refuses changes a batch service does not take: its config and the real-time traffic settings.</summary>
    /// <exception cref="InferaException">400 ModelArts.3037.</exception>
    public static void CheckUpdate(UpdateServiceRequest request)
    {
        if (request.Status is null && (request.Config is not null || request.RoutingRules is not null || request.RateLimit is not null ||
            request.RateLimitPerReplica is not null || request.AdditionalProperties is not null || request.AppAuth is not null || request.Apps is not null))
        {
            throw Errors.InvalidParameter("config", null, "a batch service takes only status (running, stopped) and description updates; deploy a new batch service to change its configuration.");
        }
    }

    /// <summary>Wakes the runner after a stop or delete.</summary>
    public void Wake() => runner.Wake();

    private ServiceConfigItem Validate(string projectId, List<ServiceConfigRequest>? config)
    {
        if (config is null || config.Count == 0)
        {
            throw Errors.Missing("config");
        }

        if (config.Count != 1)
        {
            throw Errors.InvalidParameter("config", config.Count.ToString(CultureInfo.InvariantCulture), "a batch service takes exactly one config item.");
        }

        var item = config[0];
        var modelId = item.ModelId ?? throw Errors.Missing("config[0].model_id");
        var model = models.Find(projectId, modelId) ?? throw Errors.DeployModelNotFound(modelId);
        if (model.Status != ModelStatus.Published)
        {
            throw Errors.ModelNotReady(modelId, model.Status);
        }

        if (!model.InstallTypes.Contains(InferTypes.Batch))
        {
            throw Errors.InstallTypeMismatch(modelId, InferTypes.Batch);
        }

        if (model.InferFormat == InferFormats.Undefined)
        {
            throw BatchErrors.ModelWithoutInput(modelId, "its input/output mode is undefined, so batch inputs cannot be mapped to requests (seed 003 §4.2.3.4).");
        }

        var count = item.InstanceCount ?? 1;
        if (count is < 1 or > 128)
        {
            throw Errors.InvalidParameter("config[0].instance_count", count.ToString(CultureInfo.InvariantCulture), "use 1-128 instances.");
        }

        var apis = (model.ConfigJson.Length > 0 ? ModelConfigReader.Read(model.ConfigJson).Config?.Apis : null) ?? [];
        if (apis.Count == 0)
        {
            throw BatchErrors.ModelWithoutInput(modelId, "its config.json defines no apis, so there is no request to send.");
        }

        var api = ChooseApi(apis, item.ReqUri);
        if (api.RequestSchema is not { } schema || schema.ValueKind != JsonValueKind.Object)
        {
            throw BatchErrors.ModelWithoutInput(modelId, $"API {api.Url} defines no request data schema (input_params).");
        }

        var fileFields = FileFields(schema);
        var mappingType = item.MappingType ?? (fileFields.Count > 0 ? BatchMappingTypes.File : BatchMappingTypes.Csv);
        string? rule = null;
        switch (mappingType)
        {
            case BatchMappingTypes.File:
                if (fileFields.Count != 1)
                {
                    throw Errors.InvalidParameter("config[0].mapping_type", mappingType, fileFields.Count == 0
                        ? $"API {api.Url} takes no file field; use csv with a mapping rule."
                        : $"API {api.Url} takes {fileFields.Count} file fields ({string.Join(", ", fileFields)}); a file batch needs exactly one.");
                }

                break;
            case BatchMappingTypes.Csv:
                if (fileFields.Count > 0)
                {
                    throw Errors.InvalidParameter("config[0].mapping_type", mappingType, $"API {api.Url} takes a file ({fileFields[0]}); use file.");
                }

                JsonNode? mapping = item.MappingRule is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } given
                    ? JsonNode.Parse(given.GetRawText(), documentOptions: ModelConfigReader.DocumentOptions)
                    : BatchMapping.Generate(schema);
                if (BatchMapping.Validate(mapping, schema) is { } problem)
                {
                    throw Errors.InvalidParameter("config[0].mapping_rule", mapping?.ToJsonString(), problem);
                }

                rule = mapping!.ToJsonString();
                break;
            default:
                throw Errors.InvalidParameter("config[0].mapping_type", mappingType, "use file or csv.");
        }

        var srcType = item.SrcType ?? "";
        if (srcType.Length > 0 && srcType != BatchMappingTypes.ManifestFile)
        {
            throw Errors.InvalidParameter("config[0].src_type", srcType, "use ManifestFile or leave it empty.");
        }

        var batch = new BatchConfig
        {
            SrcPath = item.SrcPath ?? throw Errors.Missing("config[0].src_path"),
            DestPath = item.DestPath ?? throw Errors.Missing("config[0].dest_path"),
            ReqUri = api.Url,
            MappingType = mappingType,
            MappingRule = rule,
            SrcType = srcType,
        };
        CheckInput(projectId, batch);
        CheckOutput(projectId, batch.DestPath);
        return new ServiceConfigItem
        {
            ModelId = modelId,
            Weight = 100,
            Specification = string.IsNullOrEmpty(item.Specification) ? "modelarts.vm.cpu.2u" : item.Specification,
            InstanceCount = count,
            Envs = item.Envs ?? [],
            Batch = batch,
        };
    }

    private static ModelApi ChooseApi(IReadOnlyList<ModelApi> apis, string? reqUri)
    {
        if (reqUri is null)
        {
            return apis.Count == 1 ? apis[0] : throw Errors.InvalidParameter("config[0].req_uri", null,
                $"the model has several APIs; choose one of {string.Join(", ", apis.Select(a => a.Url).Distinct())}.");
        }

        var normalized = reqUri.Length == 0 ? "/" : reqUri;
        return apis.FirstOrDefault(a => a.Url == normalized)
            ?? throw Errors.InvalidParameter("config[0].req_uri", reqUri,
                $"it must be one of the model's apis urls: {string.Join(", ", apis.Select(a => a.Url).Distinct())}.");
    }

    /// <summary>The names of the request schema's top-level properties of type <c>file</c>.</summary>
    public static List<string> FileFields(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "file")
                .Select(p => p.Name).ToList()
            : [];

    private void CheckInput(string projectId, BatchConfig batch)
    {
        if (!ObjectUri.TryParse(batch.SrcPath, out var src))
        {
            throw BatchErrors.InvalidObsUrl("config[0].src_path", batch.SrcPath);
        }

        RequireBucket(projectId, src.Bucket, "config[0].src_path", batch.SrcPath);
        if (BatchInputs.IsManifest(batch))
        {
            if (!batch.SrcPath.EndsWith(".manifest", StringComparison.OrdinalIgnoreCase))
            {
                throw Errors.InvalidParameter("config[0].src_path", batch.SrcPath, "a manifest input must be a file ending in .manifest.");
            }

            if (objects.Store.Head(src.Bucket, src.Key) is null)
            {
                throw BatchErrors.PathNotFound("config[0].src_path", batch.SrcPath, "the manifest file does not exist.");
            }

            return;
        }

        var prefix = src.Key.Length == 0 || src.Key.EndsWith('/') ? src.Key : src.Key + "/";
        if (objects.Store.List(src.Bucket, prefix, null, null, 1).Objects.Count == 0)
        {
            throw BatchErrors.PathNotFound("config[0].src_path", batch.SrcPath, objects.Store.Head(src.Bucket, src.Key.TrimEnd('/')) is not null
                ? "it is a file; give a folder, or a .manifest file listing the inputs."
                : "no input files exist under this folder.");
        }
    }

    private void CheckOutput(string projectId, string destPath)
    {
        if (!ObjectUri.TryParse(destPath, out var dest))
        {
            throw BatchErrors.InvalidObsUrl("config[0].dest_path", destPath);
        }

        RequireBucket(projectId, dest.Bucket, "config[0].dest_path", destPath);
        var prefix = dest.Key.Length == 0 || dest.Key.EndsWith('/') ? dest.Key : dest.Key + "/";
        // Writable: a probe object can be written and removed there (a file in the way of the folder fails it).
        var probe = $"{prefix}.infera-write-check-{Guid.NewGuid():N}";
        try
        {
            using var empty = new MemoryStream();
            objects.Store.PutAsync(dest.Bucket, probe, empty, CancellationToken.None).GetAwaiter().GetResult();
            objects.Store.Delete(dest.Bucket, probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InferaException)
        {
            throw BatchErrors.PathNotFound("config[0].dest_path", destPath, $"the output folder is not writable ({e.Message}).");
        }
    }

    private void RequireBucket(string projectId, string bucket, string parameter, string path)
    {
        try
        {
            objects.RequireBucket(projectId, bucket);
        }
        catch (InferaException e)
        {
            throw BatchErrors.PathNotFound(parameter, path, e.Message);
        }
    }
}
