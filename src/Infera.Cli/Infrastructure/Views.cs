using Infera.Client;
using Infera.Client.Apps;
using Infera.Client.Iam;
using Infera.Client.Models;
using Infera.Client.Services;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infera.Cli.Infrastructure;

/// <summary>How models, services and events look in table output; shared by the commands that print them.</summary>
internal static class Views
{
    /// <summary>One model as a field table, followed for ONNX models by a table of its input and output tensors.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The renderable.</returns>
    public static IRenderable Model(ModelDetail model)
    {
        var fields = Tables.Fields(
            ("model_id", model.ModelId),
            ("model_name", model.ModelName),
            ("model_version", model.ModelVersion),
            ("model_status", model.ModelStatus),
            ("model_type", model.ModelType),
            ("runtime", model.Runtime),
            ("model_size", model.ModelSize is null ? null : Tables.Size(model.ModelSize)),
            ("source_location", model.SourceLocation),
            ("description", string.IsNullOrEmpty(model.Description) ? null : model.Description),
            ("create_at", model.CreateAt is null ? null : Tables.Time(model.CreateAt)),
            ("dynamic_batching", model.DynamicBatching is { } b
                ? $"max_batch_size {b.MaxBatchSize}, preferred_batch_size [{string.Join(", ", b.PreferredBatchSize)}], max_queue_delay {b.MaxQueueDelayMicroseconds} µs"
                : null));
        if (model.Inputs.Count + model.Outputs.Count == 0)
        {
            return fields;
        }

        // ONNX models: their tensors, -1 for a dynamic dimension.
        var tensors = Tables.Create("Tensor", "Name", "Datatype", "Shape");
        foreach (var (kind, tensor) in model.Inputs.Select(t => ("input", t)).Concat(model.Outputs.Select(t => ("output", t))))
        {
            Tables.Row(tensors, kind, tensor.Name, tensor.Datatype, $"[{string.Join(", ", tensor.Shape)}]");
        }

        return new Rows(fields, tensors);
    }

    /// <summary>A model list as a table.</summary>
    /// <param name="models">The models.</param>
    /// <returns>The table.</returns>
    public static IRenderable Models(IEnumerable<ModelSummary> models)
    {
        var table = Tables.Create("ID", "Name", "Version", "Type", "Status", "Size", "Created");
        foreach (var m in models)
        {
            Tables.Row(table, m.ModelId, m.ModelName, m.ModelVersion, m.ModelType, m.ModelStatus, Tables.Size(m.ModelSize), Tables.Time(m.CreateAt));
        }

        return table;
    }

    /// <summary>One service: a field table and its models.</summary>
    /// <param name="service">The service.</param>
    /// <returns>The renderable.</returns>
    public static IRenderable Service(ServiceDetail service)
    {
        var fields = Tables.Fields(
            ("service_id", service.ServiceId),
            ("service_name", service.ServiceName),
            ("status", service.Status),
            ("infer_type", service.InferType),
            ("access_address", service.AccessAddress),
            ("app_auth", service.AppAuth is null ? null : Flag(service.AppAuth.Value)),
            ("app_access_address", service.AppAccessAddress),
            ("app_auth_apps", service.AppAuthApps is { Count: > 0 } bound ? string.Join(", ", bound.Select(a => a.AppName ?? a.AppId)) : null),
            ("error_msg", string.IsNullOrEmpty(service.ErrorMsg) ? null : service.ErrorMsg),
            ("invocation_times", service.InvocationTimes is null ? null : Tables.Number(service.InvocationTimes)),
            ("failed_times", service.FailedTimes is null ? null : Tables.Number(service.FailedTimes)),
            ("description", string.IsNullOrEmpty(service.Description) ? null : service.Description),
            ("publish_at", service.PublishAt is null ? null : Tables.Time(service.PublishAt)),
            ("task_id", service.TaskId),
            ("progress", service.InputCount is null ? null : $"{service.ProcessedCount}/{service.InputCount} processed, {service.FailedCount} failed"),
            ("start_time", service.StartTime is > 0 ? Tables.Time(service.StartTime) : null),
            ("finished_time", service.FinishedTime is > 0 ? Tables.Time(service.FinishedTime) : null),
            ("src_path", service.Config.FirstOrDefault()?.SrcPath),
            ("dest_path", service.Config.FirstOrDefault()?.DestPath),
            ("req_uri", service.Config.FirstOrDefault()?.ReqUri),
            ("mapping_type", service.Config.FirstOrDefault()?.MappingType),
            ("websocket", service.AdditionalProperties?.WebsocketUpgrade is true ? "yes" : null),
            ("rate_limit", service.EffectiveRateLimit is { } limit ? $"{limit}/s" + (service.RateLimitPerReplica is { } perReplica ? $" ({perReplica}/s per instance)" : "") : null),
            ("routing_rules", service.RoutingRules is { Count: > 0 } rules
                ? string.Join("; ", rules.Select((r, i) => $"{i + 1}. {r.Condition} → {r.ModelVersion ?? r.ModelId}" + (r.HeaderName is null ? "" : $" (+{r.HeaderName})")))
                : null));
        if (service.Config.Count == 0)
        {
            return fields;
        }

        var models = Tables.Create("Model ID", "Model", "Version", "Weight", "Specification", "Instances", "Status");
        foreach (var c in service.Config)
        {
            Tables.Row(models, c.ModelId, c.ModelName, c.ModelVersion, Tables.Number(c.Weight), c.Specification, Tables.Number(c.InstanceCount), c.Status);
        }

        return new Rows(fields, models);
    }

    /// <summary>A service list as a table.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The table.</returns>
    public static IRenderable Services(IEnumerable<ServiceSummary> services)
    {
        var table = Tables.Create("ID", "Name", "Status", "Type", "Calls", "Failed", "Published");
        foreach (var s in services)
        {
            Tables.Row(table, s.ServiceId, s.ServiceName, s.Status, s.InferType, Tables.Number(s.InvocationTimes), Tables.Number(s.FailedTimes), Tables.Time(s.PublishAt));
        }

        return table;
    }

    /// <summary>One app as a field table, with its AppCodes and bound services.</summary>
    /// <param name="app">The app.</param>
    /// <returns>The renderable.</returns>
    public static IRenderable App(InferaApp app)
    {
        var fields = Tables.Fields(
            ("app_id", app.AppId),
            ("app_name", app.AppName),
            ("app_remark", string.IsNullOrEmpty(app.AppRemark) ? null : app.AppRemark),
            ("app_key", app.AppKey),
            ("app_secret", app.AppSecret),
            ("bound_services", app.BoundServices.Count == 0 ? null : string.Join(", ", app.BoundServices)),
            ("created_at", app.CreatedAt is null ? null : Tables.Time(app.CreatedAt)),
            ("updated_at", app.UpdatedAt is null ? null : Tables.Time(app.UpdatedAt)));
        if (app.AppCodes.Count == 0)
        {
            return fields;
        }

        var codes = Tables.Create("AppCode ID", "AppCode", "Created");
        foreach (var code in app.AppCodes)
        {
            Tables.Row(codes, code.Id, code.Code, Tables.Time(code.CreateTime));
        }

        return new Rows(fields, codes);
    }

    /// <summary>Apps as a table (no secrets).</summary>
    /// <param name="apps">The apps.</param>
    /// <returns>The table.</returns>
    public static IRenderable Apps(IEnumerable<InferaApp> apps)
    {
        var table = Tables.Create("ID", "Name", "AppKey", "AppCodes", "Services", "Created");
        foreach (var a in apps)
        {
            Tables.Row(table, a.AppId, a.AppName, a.AppKey, Tables.Number(a.AppCodes.Count), Tables.Number(a.BoundedApiCount), Tables.Time(a.CreatedAt));
        }

        return table;
    }

    /// <summary>The app authentication of a service: whether it is on, and the bound apps.</summary>
    /// <param name="authorization">The authorization.</param>
    /// <returns>The renderable.</returns>
    public static IRenderable ServiceApps(ServiceAppAuthorization authorization)
    {
        var fields = Tables.Fields(("service_id", authorization.ServiceId), ("app_auth", Flag(authorization.AppAuth)));
        var apps = Tables.Create("App ID", "App", "AppKey");
        foreach (var a in authorization.Apps)
        {
            Tables.Row(apps, a.AppId, a.AppName, a.AppKey);
        }

        return new Rows(fields, apps);
    }

    /// <summary>One user as a field table.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The table.</returns>
    public static IRenderable User(IamUser user) => Tables.Fields(
        ("id", user.Id),
        ("name", user.Name),
        ("domain_id", user.DomainId),
        ("enabled", Flag(user.Enabled)),
        ("is_domain_owner", Flag(user.IsDomainOwner)),
        ("create_time", Tables.Time(user.CreateTime)));

    /// <summary>Users as a table.</summary>
    /// <param name="users">The users.</param>
    /// <returns>The table.</returns>
    public static IRenderable Users(IEnumerable<IamUser> users)
    {
        var table = Tables.Create("ID", "Name", "Enabled", "Administrator", "Created");
        foreach (var u in users)
        {
            Tables.Row(table, u.Id, u.Name, Flag(u.Enabled), Flag(u.IsDomainOwner), Tables.Time(u.CreateTime));
        }

        return table;
    }

    /// <summary>Projects as a table.</summary>
    /// <param name="projects">The projects.</param>
    /// <returns>The table.</returns>
    public static IRenderable Projects(IEnumerable<IamProject> projects)
    {
        var table = Tables.Create("ID", "Name", "Account ID");
        foreach (var p in projects)
        {
            Tables.Row(table, p.Id, p.Name, p.DomainId);
        }

        return table;
    }

    /// <summary>One access key as a field table; the SK only when it is in <paramref name="key"/> (right after creation).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The table.</returns>
    public static IRenderable AccessKey(AccessKey key) => Tables.Fields(
        ("access", key.Access),
        ("secret", key.Secret),
        ("status", key.Status),
        ("user_id", key.UserId),
        ("description", string.IsNullOrEmpty(key.Description) ? null : key.Description),
        ("create_time", key.CreateTime));

    /// <summary>Access keys as a table (never the secrets).</summary>
    /// <param name="keys">The keys.</param>
    /// <returns>The table.</returns>
    public static IRenderable AccessKeys(IEnumerable<AccessKey> keys)
    {
        var table = Tables.Create("Access key", "Status", "User ID", "Description", "Created");
        foreach (var k in keys)
        {
            Tables.Row(table, k.Access, k.Status, k.UserId, k.Description, k.CreateTime);
        }

        return table;
    }

    /// <summary>Accounts as a table.</summary>
    /// <param name="domains">The accounts.</param>
    /// <returns>The table.</returns>
    public static IRenderable Accounts(IEnumerable<IamDomain> domains)
    {
        var table = Tables.Create("ID", "Name");
        foreach (var d in domains)
        {
            Tables.Row(table, d.Id, d.Name);
        }

        return table;
    }

    /// <summary>A list of ids under one header (what a delete removed).</summary>
    /// <param name="header">The column header.</param>
    /// <param name="ids">The ids.</param>
    /// <returns>The table.</returns>
    public static IRenderable IdList(string header, IEnumerable<string> ids)
    {
        var table = Tables.Create(header);
        foreach (var id in ids)
        {
            Tables.Row(table, id);
        }

        return table;
    }

    /// <summary>Events as a table.</summary>
    /// <param name="events">The events.</param>
    /// <returns>The table.</returns>
    public static IRenderable Events(IEnumerable<InferaEvent> events)
    {
        var table = Tables.Create("Time", "Type", "Event");
        foreach (var e in events)
        {
            Tables.Row(table, Tables.Time(e.OccurTime), e.EventType, e.EventInfo);
        }

        return table;
    }

    /// <summary>Prints the abnormal events on stderr, oldest first, to explain a failure.</summary>
    /// <param name="session">The command session.</param>
    /// <param name="events">The events.</param>
    public static void PrintAbnormal(CliSession session, IEnumerable<InferaEvent> events)
    {
        foreach (var e in events.Where(e => e.IsAbnormal).OrderBy(e => e.OccurTime))
        {
            session.Info($"  {Tables.Time(e.OccurTime)}  {e.EventInfo}");
        }
    }

    private static string Flag(bool value) => value ? "yes" : "no";
}
