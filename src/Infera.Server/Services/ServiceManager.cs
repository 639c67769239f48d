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
public sealed partial class ServiceManager(ServiceStore services, ModelStore models, EventStore events, ServiceReconciler reconciler, AppManager apps,
    FlavorCatalog flavors, ServiceUpdateLogStore history, TimeProvider time, Batch.BatchServices batch,
    Gateway.Routing.RoutingTable routes)
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

        var config = ValidateConfig(caller.ProjectId, request.Config, inferType, []);
        var schedule = ValidateSchedule(request.Schedule);
        var tags = ValidateTags(request.Tags);
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
            Schedule = schedule,
            DueTime = schedule is null ? null : now + (long)schedule.Length.TotalMilliseconds,
            Tags = tags,
        };
        if (!services.TryInsert(service))
        {
            throw Errors.ServiceExists(name);
        }

        apps.Bind(service.Id, appIds);

        Event(service.Id, EventRecord.Normal, ServiceEvents.StartDeploy);
        if (schedule is not null)
        {
            Event(service.Id, EventRecord.Normal, ServiceEvents.AutoStopOn(schedule.Describe()));
        }

        history.Add(service.Id, now, ServiceUpdateLogStore.Running, config, caller.UserName, "deploy");
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
    /// Applies <c>PUT</c> (spec §3.4, seed 003 §3.3/§3.4): <c>status</c> running/stopped (start from stopped, failed
    /// or finished; stop from deploying, running, concerning or failed), else description, tags, schedule (auto-stop
    /// on/off), config (a rolling update of a running service: versions, weights, instance counts, flavors, envs,
    /// <c>max_unavailable</c>) and/or traffic (<c>routing_rules</c>, <c>rate_limit</c>, <c>rate_limit_per_replica</c>;
    /// applied without touching instances). Every part is validated before anything is written.
    /// </summary>
    /// <exception cref="InferaException">400 ModelArts.3519 with the reason when the state forbids the change; 400/404 for invalid values.</exception>
    public void Update(CallerIdentity caller, string serviceId, UpdateServiceRequest request)
    {
        var service = Get(caller.ProjectId, serviceId);
        if (service.InferType == InferTypes.Batch)
        {
            Batch.BatchServices.CheckUpdate(request);
        }

        var appIds = apps.RequireApps(caller, AppIds(request.Apps));
        ApplySettings(caller, service, request);
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

    /// <summary>
    /// Restarts a running service (seed 003 §3.4 "重启服务": only from <c>running</c> or <c>concerning</c>): every
    /// instance is replaced by a new one, rolling, so the service keeps answering.
    /// </summary>
    /// <exception cref="InferaException">400 ModelArts.3519 naming the state when the service is not running or concerning.</exception>
    public void Restart(CallerIdentity caller, string serviceId)
    {
        var service = Get(caller.ProjectId, serviceId);
        if (service.InferType != InferTypes.RealTime)
        {
            throw Errors.IllegalServiceState(service.Id, service.InferType, "restarted (only real-time services can be restarted)");
        }

        if (service.Status is not (ServiceStatus.Running or ServiceStatus.Concerning))
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, "restarted (only running or concerning services can be restarted)");
        }

        var now = Now();
        var config = service.Config.Select(c => c with { Revision = now }).ToList();
        services.Update(service with { Config = config, PreviousConfig = service.Config, Status = ServiceStatus.Deploying, TransitionAt = now, UpdateTime = now });
        history.Add(service.Id, now, ServiceUpdateLogStore.Running, config, caller.UserName, "restart");
        Event(service.Id, EventRecord.Normal, "Restarting service: instances are replaced one by one.");
        reconciler.Wake();
    }

    private void ApplySettings(CallerIdentity caller, ServiceRecord service, UpdateServiceRequest request)
    {
        if (request.Description is not null && !Naming.IsValidDescription(request.Description, "<>=&\"'"))
        {
            throw Errors.InvalidParameter("description", request.Description, "at most 100 characters and none of < > = & \" '.");
        }

        // Everything is validated first; nothing is written until the whole request is known to be valid.
        var tags = request.Tags is null ? null : ValidateTags(request.Tags);
        var scheduleChange = request.Schedule is not null;
        var schedule = scheduleChange ? ValidateSchedule(request.Schedule) : service.Schedule;
        var trafficChange = request.RoutingRules is not null || request.RateLimit is not null || request.RateLimitPerReplica is not null ||
            request.AdditionalProperties?.WebsocketUpgrade is not null;
        var now = Now();

        if (request.Status is not null)
        {
            var next = request.Status switch
            {
                ServiceStatus.Running => Start(service),
                ServiceStatus.Stopped => Stop(service),
                _ => throw Errors.InvalidParameter("status", request.Status, "use running or stopped."),
            };
            var dueTime = next.DesiredState == ServiceStatus.Running && schedule is not null ? now + (long)schedule.Length.TotalMilliseconds : (long?)null;
            if (service.InferType == InferTypes.Batch && next.DesiredState == ServiceStatus.Running)
            {
                // The task (a new one after finished) must exist before the runner can see the service deploying;
                // otherwise it would find the old, finished task and report finished again.
                batch.OnStart(service);
            }

            services.Update(next with
            {
                Description = request.Description ?? service.Description,
                Tags = tags ?? service.Tags,
                Schedule = schedule,
                DueTime = dueTime,
            });
            if (next.DesiredState == ServiceStatus.Running && schedule is not null)
            {
                Event(service.Id, EventRecord.Normal, ServiceEvents.AutoStopOn(schedule.Describe()));
            }

            if (next.Status == ServiceStatus.Stopping)
            {
                routes.Close(service.Id, ServiceStatus.Stopping);
            }

            reconciler.Wake();
            batch.Wake();
            return;
        }

        List<ServiceConfigItem>? config = null;
        ServiceTraffic? traffic = null;
        if (request.Config is not null)
        {
            if (service.Status is ServiceStatus.Deploying or ServiceStatus.Stopping or ServiceStatus.Deleting)
            {
                throw Errors.IllegalServiceState(service.Id, service.Status,
                    service.PreviousConfig is not null ? "updated while the previous update is still rolling out; wait until it is running" : "updated until it is running, stopped or failed");
            }

            config = ValidateConfig(caller.ProjectId, request.Config, service.InferType, service.Config);
            traffic = TrafficValidator.ForUpdate(service.Traffic, request, config, models.FindAny);
        }
        else if (trafficChange)
        {
            if (service.Status is ServiceStatus.Stopping or ServiceStatus.Deleting)
            {
                throw Errors.IllegalServiceState(service.Id, service.Status, "updated");
            }

            traffic = TrafficValidator.ForUpdate(service.Traffic, request, service.Config, models.FindAny);
        }

        if (config is not null)
        {
            var live = service.Status is ServiceStatus.Running or ServiceStatus.Concerning && service.DesiredState == ServiceStatus.Running;
            var updated = service with
            {
                Description = request.Description ?? service.Description,
                Tags = tags ?? service.Tags,
                Config = config,
                Traffic = traffic!,
                UpdateTime = now,
                PreviousConfig = live ? service.Config : null,
                Status = live ? ServiceStatus.Deploying : service.Status,
                TransitionAt = live ? now : service.TransitionAt,
            };
            services.Update(updated);
            history.Add(service.Id, now, live ? ServiceUpdateLogStore.Running : ServiceUpdateLogStore.Success, config, caller.UserName,
                live ? "rolling update" : $"saved while {service.Status}; applied at the next start");
            Event(service.Id, EventRecord.Normal, ServiceEvents.Updating);
        }
        else
        {
            if (traffic is not null)
            {
                services.UpdateTraffic(service.Id, traffic, now);
                Event(service.Id, EventRecord.Normal, "Updated routing rules and rate limit.");
            }

            if (request.Description is not null)
            {
                services.UpdateDescription(service.Id, request.Description);
            }

            if (tags is not null)
            {
                services.UpdateTags(service.Id, tags);
            }
        }

        if (scheduleChange)
        {
            var running = service.DesiredState == ServiceStatus.Running && service.Status != ServiceStatus.Failed;
            services.UpdateSchedule(service.Id, schedule, running && schedule is not null ? now + (long)schedule.Length.TotalMilliseconds : null);
            Event(service.Id, EventRecord.Normal, schedule is null ? ServiceEvents.AutoStopOff : ServiceEvents.AutoStopOn(schedule.Describe()));
        }

        reconciler.Wake();
        batch.Wake();
    }

    /// <summary>
    /// Marks each service for deletion (<c>deleting</c>); all ids are checked before any is touched (seed 003 §3.4:
    /// one or several, comma-separated). A service already being deleted is refused with the reason.
    /// </summary>
    /// <exception cref="InferaException">404 ModelArts.3502 for an unknown id; 400 ModelArts.3519 for a service already deleting.</exception>
    public void Delete(string projectId, IReadOnlyList<string> serviceIds)
    {
        if (serviceIds.Count == 0)
        {
            throw Errors.Missing("service_id");
        }

        var targets = serviceIds.Distinct(StringComparer.Ordinal).Select(id => Get(projectId, id)).ToList();
        foreach (var service in targets)
        {
            apps.UnbindService(service.Id);
            services.Update(service with { DesiredState = DesiredDeleted, Status = ServiceStatus.Deleting, TransitionAt = Now(), DueTime = null });
            routes.Close(service.Id, ServiceStatus.Deleting);
        }

        reconciler.Wake();
        batch.Wake();
    }

    private ServiceRecord Start(ServiceRecord service)
    {
        if (service.Status is not (ServiceStatus.Stopped or ServiceStatus.Failed or ServiceStatus.Finished))
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, service.Status is ServiceStatus.Running or ServiceStatus.Concerning or ServiceStatus.Deploying
                ? "started: it is already started (restart it instead, or stop it first)"
                : "started until it has stopped (only stopped, failed or finished services can be started)");
        }

        Event(service.Id, EventRecord.Normal, ServiceEvents.Starting);
        return service with { DesiredState = ServiceStatus.Running, Status = ServiceStatus.Deploying, TransitionAt = Now(), ErrorMessage = "", PreviousConfig = null };
    }

    private ServiceRecord Stop(ServiceRecord service)
    {
        if (service.Status is ServiceStatus.Stopped or ServiceStatus.Stopping)
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, "stopped: it is already stopped or stopping");
        }

        if (service.Status is ServiceStatus.Deleting or ServiceStatus.Finished)
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, "stopped (only deploying, running, concerning or failed services can be stopped)");
        }

        Event(service.Id, EventRecord.Normal, ServiceEvents.Stopping);
        // A rolling update that is stopped keeps its new configuration; the next start deploys it.
        return service with { DesiredState = ServiceStatus.Stopped, Status = ServiceStatus.Stopping, TransitionAt = Now(), PreviousConfig = null };
    }

    private List<ServiceConfigItem> ValidateConfig(string projectId, List<ServiceConfigRequest>? config, string inferType, IReadOnlyList<ServiceConfigItem> previous)
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
                throw Errors.InvalidParameter($"config[{index}].weight", Text(weight), "a weight is 0-100.");
            }

            var count = item.InstanceCount ?? 1;
            if (count is < 1 or > 128)
            {
                throw Errors.InvalidParameter($"config[{index}].instance_count", Text(count), "use 1-128 instances.");
            }

            var customSpec = item.CustomSpec is null
                ? null
                : new CustomSpec(Math.Round(item.CustomSpec.Cpu ?? throw Errors.Missing($"config[{index}].custom_spec.cpu"), 2),
                    item.CustomSpec.Memory ?? throw Errors.Missing($"config[{index}].custom_spec.memory"), item.CustomSpec.GpuP4 ?? 0);
            var flavor = flavors.Resolve($"config[{index}].specification", item.Specification, customSpec);

            var timeout = item.DeployTimeoutInSeconds ?? ServiceConfigItem.DefaultDeployTimeoutSeconds;
            if (timeout is < 180 or > 7200)
            {
                throw Errors.InvalidParameter($"config[{index}].deploy_timeout_in_seconds", Text(timeout), "the deploy timeout is 3-120 minutes (180-7200 seconds); the default is 1200.");
            }

            foreach (var name in (item.Envs ?? []).Keys)
            {
                if (!EnvNameRegex().IsMatch(name))
                {
                    throw Errors.InvalidParameter($"config[{index}].envs", name, "an environment variable name is letters, digits and _, not starting with a digit (at most 256 characters).");
                }

                if (name.StartsWith("INFERA_", StringComparison.Ordinal) || name is "PORT" or "MODEL_PATH")
                {
                    throw Errors.InvalidParameter($"config[{index}].envs", name, "PORT, MODEL_PATH and names starting with INFERA_ are set by the platform.");
                }
            }

            var surge = item.AdditionalProperties?.MaxSurge ?? 1;
            var unavailable = item.AdditionalProperties?.MaxUnavailable ?? 0;
            if (surge <= 0 || unavailable < 0 || surge > 128 || unavailable > 128)
            {
                throw Errors.InvalidParameter($"config[{index}].additional_properties", $"max_surge={Text(surge)},max_unavailable={Text(unavailable)}",
                    "max_surge must be above 0 and max_unavailable at least 0 (below 1: a fraction of instance_count; from 1: a number of instances).");
            }

            var candidate = new ServiceConfigItem
            {
                ModelId = modelId,
                Weight = weight,
                Specification = flavor.Code,
                CustomSpec = flavor.Code == FlavorCatalog.Custom ? customSpec : null,
                InstanceCount = count,
                Envs = item.Envs ?? [],
                DeployTimeoutSeconds = timeout,
                MaxSurge = surge,
                MaxUnavailable = unavailable,
            };
            // A restart's revision stays with the version, so re-sending an unchanged item replaces nothing.
            var revision = previous.FirstOrDefault(p => p.ModelId == modelId && p.InstanceKey == (candidate with { Revision = p.Revision }).InstanceKey)?.Revision ?? 0;
            items.Add(candidate with { Revision = revision });
        }

        var total = items.Sum(i => i.Weight);
        if (total != 100)
        {
            throw Errors.InvalidParameter("config[].weight", Text(total), "the weights of all config items must add up to 100.");
        }

        return items;
    }

    /// <summary>Seed 003 §3.1.1 "是否自动停止": 1, 2, 4, 6 hours or a custom 1–24 hours.</summary>
    private static ServiceSchedule? ValidateSchedule(List<ScheduleRequest>? schedule)
    {
        if (schedule is null || schedule.Count == 0)
        {
            return null;
        }

        if (schedule.Count > 1)
        {
            throw Errors.InvalidParameter("schedule", Text(schedule.Count), "give one schedule (type stop).");
        }

        var item = schedule[0];
        var type = item.Type ?? throw Errors.Missing("schedule[0].type");
        if (type != ServiceSchedule.Stop)
        {
            throw Errors.InvalidParameter("schedule[0].type", type, "only stop is supported.");
        }

        var unit = item.TimeUnit ?? throw Errors.Missing("schedule[0].time_unit");
        if (unit is not ("HOURS" or "MINUTES" or "DAYS"))
        {
            throw Errors.InvalidParameter("schedule[0].time_unit", unit, "use HOURS, MINUTES or DAYS.");
        }

        var duration = item.Duration ?? throw Errors.Missing("schedule[0].duration");
        var result = new ServiceSchedule(type, unit, duration);
        if (duration < 1 || result.Length < TimeSpan.FromHours(1) || result.Length > TimeSpan.FromHours(24))
        {
            throw Errors.InvalidParameter("schedule[0].duration", Text(duration), "the service can stop automatically after 1 to 24 hours (e.g. HOURS 1, 2, 4, 6 or any of 1-24).");
        }

        return result;
    }

    private static List<ServiceTag> ValidateTags(List<TagRequest>? tags)
    {
        var result = new List<ServiceTag>();
        foreach (var (tag, index) in (tags ?? []).Select((t, i) => (t, i)))
        {
            var key = tag.Key ?? throw Errors.Missing($"tags[{index}].key");
            var value = tag.Value ?? "";
            if (!TagRegex().IsMatch(key) || key.Length > 36 || key.Trim() != key)
            {
                throw Errors.InvalidParameter($"tags[{index}].key", key, "a tag key is 1-36 letters, digits, Chinese characters, spaces inside or _ . : = + - @.");
            }

            if (value.Length > 0 && (!TagRegex().IsMatch(value) || value.Length > 43))
            {
                throw Errors.InvalidParameter($"tags[{index}].value", value, "a tag value is 0-43 letters, digits, Chinese characters, spaces or _ . : / = + - @.");
            }

            if (result.Any(t => t.Key == key))
            {
                throw Errors.InvalidParameter($"tags[{index}].key", key, "tag keys must be unique.");
            }

            result.Add(new ServiceTag(key, value));
        }

        return result.Count > 20 ? throw Errors.InvalidParameter("tags", Text(result.Count), "at most 20 tags.") : result;
    }

    private static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,255}$")]
    private static partial System.Text.RegularExpressions.Regex EnvNameRegex();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\p{L}\p{N}_.:/=+\-@ ]+$")]
    private static partial System.Text.RegularExpressions.Regex TagRegex();

    private void Event(string serviceId, string type, string info) => events.Add(new EventRecord(serviceId, type, info, Now()));

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static IEnumerable<string> AppIds(List<AppReference>? references) =>
        (references ?? []).Select((r, i) => r.AppId ?? throw Errors.Missing($"apps[{i}].app_id"));
}
