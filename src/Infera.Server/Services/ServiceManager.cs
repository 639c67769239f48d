using Infera.Core;
using Infera.Core.Errors;
using Infera.Core.Events;
using Infera.Core.Identity;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Server.Apps;
using Infera.Storage.Stores;

namespace Infera.Server.Services;

/// <summary>
/// The service API's rules (R-S1, R-S2, R-S10): validates deploy, start/stop, update and delete requests and
/// records the desired state with its events; <see cref="ServiceReconciler"/> does the work.
/// </summary>
public sealed class ServiceManager(ServiceStore services, ModelStore models, EventStore events, ServiceReconciler reconciler, AppManager apps, TimeProvider time,
    Batch.BatchServices batch)
{
    /// <summary>Real-time services per user (seed 000, 003 §3.1.1).</summary>
    public const int RealTimeQuota = 20;

    /// <summary>Desired state of a service being deleted.</summary>
    public const string DesiredDeleted = "deleted";

    /// <summary>Validates and records a new real-time service, which starts deploying at once.</summary>
    /// <exception cref="InferaException">400/404/409 with the ModelArts codes of spec §3.1 and §4.</exception>
    public ServiceRecord Create(CallerIdentity caller, CreateServiceRequest request)
    {
        var name = request.ServiceName ?? throw Errors.Missing("service_name");
        if (!Naming.IsValidName(name))
        {
            throw Errors.InvalidParameter("service_name", name, "use 1-64 letters, Chinese characters, digits, '-' or '_'.");
        }

        if (!Naming.IsValidDescription(request.Description, Naming.ServiceDescriptionForbidden))
        {
            throw Errors.InvalidParameter("description", request.Description, "at most 100 characters and none of ! < > + & \" '.");
        }

        var inferType = request.InferType ?? throw Errors.Missing("infer_type");
        if (inferType == InferTypes.Batch)
        {
            return batch.Create(caller, request);
        }

        if (inferType != InferTypes.RealTime)
        {
            throw Errors.InvalidParameter("infer_type", inferType, "use real-time or batch.");
        }

        var config = ValidateConfig(caller.ProjectId, request.Config, inferType);
        var appIds = apps.RequireApps(caller, AppIds(request.Apps));
        var traffic = TrafficValidator.ForCreate(request, config, models.FindAny);
        if (services.CountByOwner(caller.UserId, inferType) >= RealTimeQuota)
        {
            throw Errors.ServiceQuota(inferType, RealTimeQuota);
        }

        var now = Now();
        var service = new ServiceRecord
        {
            Id = Ids.NewUuid(),
            ProjectId = caller.ProjectId,
            DomainId = caller.DomainId,
            OwnerId = caller.UserId,
            Name = name,
            Description = request.Description ?? "",
            InferType = inferType,
            Status = ServiceStatus.Deploying,
            DesiredState = ServiceStatus.Running,
            Config = config,
            Traffic = traffic,
            PublishAt = now,
            TransitionAt = now,
            UpdateTime = now,
            AppAuth = request.AppAuth ?? false,
        };
        if (!services.TryInsert(service))
        {
            throw Errors.ServiceExists(name);
        }

        apps.Bind(service.Id, appIds);

        Event(service.Id, EventRecord.Normal, ServiceEvents.StartDeploy);
        reconciler.Wake();
        return service;
    }

    /// <summary>The service of the project, or 404 ModelArts.3502.</summary>
    public ServiceRecord Get(string projectId, string serviceId)
    {
        var service = services.Find(projectId, serviceId);
        return service is null || service.DesiredState == DesiredDeleted ? throw Errors.ServiceNotFound(serviceId) : service;
    }

    /// <summary>
    /// Applies <c>PUT</c>: <c>status</c> running/stopped (start from stopped or failed; stop from deploying, running,
    /// concerning or failed — seed 003 §3.4), else description, config and/or traffic (<c>routing_rules</c>,
    /// <c>rate_limit</c>, <c>rate_limit_per_replica</c>; applied without touching instances). Illegal states → 400 ModelArts.3519.
    /// </summary>
    public void Update(CallerIdentity caller, string serviceId, UpdateServiceRequest request)
    {
        var service = Get(caller.ProjectId, serviceId);
        if (service.InferType == InferTypes.Batch)
        {
            Batch.BatchServices.CheckUpdate(request);
        }

        var appIds = apps.RequireApps(caller, AppIds(request.Apps));
        ApplySettings(caller.ProjectId, service, request);
        // App authentication is written last, once everything else in the request was valid and applied.
        if (request.AppAuth is not null || appIds.Count > 0)
        {
            apps.Bind(service.Id, appIds);
            if (request.AppAuth is { } appAuth)
            {
                services.UpdateAppAuth(service.Id, appAuth);
            }
        }
    }

    private void ApplySettings(string projectId, ServiceRecord service, UpdateServiceRequest request)
    {
        if (request.Description is not null && !Naming.IsValidDescription(request.Description, "<>=&\"'"))
        {
            throw Errors.InvalidParameter("description", request.Description, "at most 100 characters and none of < > = & \" '.");
        }

        var trafficChange = request.RoutingRules is not null || request.RateLimit is not null || request.RateLimitPerReplica is not null ||
            request.AdditionalProperties?.WebsocketUpgrade is not null;
        if (request.Status is null && request.Config is null && !trafficChange)
        {
            if (request.Description is not null)
            {
                services.UpdateDescription(service.Id, request.Description);
            }

            return;
        }

        var updated = service with { Description = request.Description ?? service.Description };
        if (request.Status is not null)
        {
            updated = request.Status switch
            {
                ServiceStatus.Running => Start(updated),
                ServiceStatus.Stopped => Stop(updated),
                _ => throw Errors.InvalidParameter("status", request.Status, "use running or stopped."),
            };
        }
        else if (request.Config is not null)
        {
            if (service.Status is ServiceStatus.Deploying or ServiceStatus.Stopping or ServiceStatus.Deleting)
            {
                throw Errors.IllegalServiceState(service.Id, service.Status, "updated");
            }

            var config = ValidateConfig(projectId, request.Config, service.InferType);
            var traffic = TrafficValidator.ForUpdate(service.Traffic, request, config, models.FindAny);
            var running = service.DesiredState == ServiceStatus.Running && service.Status != ServiceStatus.Failed;
            updated = updated with
            {
                Config = config,
                Traffic = traffic,
                UpdateTime = Now(),
                Status = running ? ServiceStatus.Deploying : updated.Status,
                TransitionAt = running ? Now() : updated.TransitionAt,
            };
            Event(service.Id, EventRecord.Normal, "Updating service.");
        }
        else
        {
            // Rules and limits only: no instance is touched, and the status the reconciler owns is not written back;
            // the reconciler republishes the route at once.
            if (service.Status is ServiceStatus.Stopping or ServiceStatus.Deleting)
            {
                throw Errors.IllegalServiceState(service.Id, service.Status, "updated");
            }

            var traffic = TrafficValidator.ForUpdate(service.Traffic, request, service.Config, models.FindAny);
            services.UpdateTraffic(service.Id, traffic, Now());
            if (request.Description is not null)
            {
                services.UpdateDescription(service.Id, request.Description);
            }

            Event(service.Id, EventRecord.Normal, "Updated routing rules and rate limit.");
            reconciler.Wake();
            return;
        }
        services.Update(updated);
        if (service.InferType == InferTypes.Batch && request.Status == ServiceStatus.Running)
        {
            batch.OnStart(service);
        }

        reconciler.Wake();
        batch.Wake();
    }

    /// <summary>Marks each service for deletion (<c>deleting</c>); all ids are checked before any is touched.</summary>
    public void Delete(string projectId, IReadOnlyList<string> serviceIds)
    {
        var targets = serviceIds.Select(id => Get(projectId, id)).ToList();
        foreach (var service in targets)
        {
            apps.UnbindService(service.Id);
            services.Update(service with { DesiredState = DesiredDeleted, Status = ServiceStatus.Deleting, TransitionAt = Now() });
        }

        reconciler.Wake();
        batch.Wake();
    }

    private ServiceRecord Start(ServiceRecord service)
    {
        if (service.Status is not (ServiceStatus.Stopped or ServiceStatus.Failed or ServiceStatus.Finished))
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, "started (only stopped, failed or finished services can be started)");
        }

        Event(service.Id, EventRecord.Normal, ServiceEvents.Starting);
        return service with { DesiredState = ServiceStatus.Running, Status = ServiceStatus.Deploying, TransitionAt = Now(), ErrorMessage = "" };
    }

    private ServiceRecord Stop(ServiceRecord service)
    {
        if (service.Status is ServiceStatus.Stopped or ServiceStatus.Stopping or ServiceStatus.Deleting)
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, "stopped");
        }

        Event(service.Id, EventRecord.Normal, ServiceEvents.Stopping);
        return service with { DesiredState = ServiceStatus.Stopped, Status = ServiceStatus.Stopping, TransitionAt = Now() };
    }

    private List<ServiceConfigItem> ValidateConfig(string projectId, List<ServiceConfigRequest>? config, string inferType)
    {
        if (config is null || config.Count == 0)
        {
            throw Errors.Missing("config");
        }

        var items = new List<ServiceConfigItem>();
        foreach (var (item, index) in config.Select((c, i) => (c, i)))
        {
            var modelId = item.ModelId ?? throw Errors.Missing($"config[{index}].model_id");
            var model = models.Find(projectId, modelId) ?? throw Errors.DeployModelNotFound(modelId);
            if (model.Status != ModelStatus.Published)
            {
                throw Errors.ModelNotReady(modelId, model.Status);
            }

            if (!model.InstallTypes.Contains(inferType))
            {
                throw Errors.InstallTypeMismatch(modelId, inferType);
            }

            if (items.Any(i => i.ModelId == modelId))
            {
                throw Errors.DuplicateModelInConfig(modelId);
            }

            var weight = item.Weight ?? (config.Count == 1 ? 100 : throw Errors.Missing($"config[{index}].weight"));
            if (weight is < 0 or > 100)
            {
                throw Errors.InvalidParameter($"config[{index}].weight", weight.ToString(System.Globalization.CultureInfo.InvariantCulture), "a weight is 0-100.");
            }

            var count = item.InstanceCount ?? 1;
            if (count is < 1 or > 128)
            {
                throw Errors.InvalidParameter($"config[{index}].instance_count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "use 1-128 instances.");
            }

            items.Add(new ServiceConfigItem
            {
                ModelId = modelId,
                Weight = weight,
                Specification = string.IsNullOrEmpty(item.Specification) ? "modelarts.vm.cpu.2u" : item.Specification,
                InstanceCount = count,
                Envs = item.Envs ?? [],
            });
        }

        var total = items.Sum(i => i.Weight);
        if (total != 100)
        {
            throw Errors.InvalidParameter("config[].weight", total.ToString(System.Globalization.CultureInfo.InvariantCulture), "the weights of all config items must add up to 100.");
        }

        return items;
    }

    private void Event(string serviceId, string type, string info) => events.Add(new EventRecord(serviceId, type, info, Now()));

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static IEnumerable<string> AppIds(List<AppReference>? references) =>
        (references ?? []).Select((r, i) => r.AppId ?? throw Errors.Missing($"apps[{i}].app_id"));
}
