using Infera.Client;
using Infera.Client.Models;
using Infera.Client.Services;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infera.Cli.Infrastructure;

/// <summary>How models, services and events look in table output; shared by the commands that print them.</summary>
internal static class Views
{
    /// <summary>One model as a field table.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The table.</returns>
    public static IRenderable Model(ModelDetail model) => Tables.Fields(
        ("model_id", model.ModelId),
        ("model_name", model.ModelName),
        ("model_version", model.ModelVersion),
        ("model_status", model.ModelStatus),
        ("model_type", model.ModelType),
        ("runtime", model.Runtime),
        ("model_size", model.ModelSize is null ? null : Tables.Size(model.ModelSize)),
        ("source_location", model.SourceLocation),
        ("description", string.IsNullOrEmpty(model.Description) ? null : model.Description),
        ("create_at", model.CreateAt is null ? null : Tables.Time(model.CreateAt)));

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
            ("error_msg", string.IsNullOrEmpty(service.ErrorMsg) ? null : service.ErrorMsg),
            ("invocation_times", service.InvocationTimes is null ? null : Tables.Number(service.InvocationTimes)),
            ("failed_times", service.FailedTimes is null ? null : Tables.Number(service.FailedTimes)),
            ("description", string.IsNullOrEmpty(service.Description) ? null : service.Description),
            ("publish_at", service.PublishAt is null ? null : Tables.Time(service.PublishAt)));
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
}
