using System.Text.Json.Nodes;
using Infera.Core.Events;
using Infera.Packaging;
using Infera.Server.Api;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Models;

/// <summary>The model routes of spec §2: import, list, show, delete, plus the model's events.</summary>
public static class ModelEndpoints
{
    /// <summary>Maps <c>/v1/{project_id}/models</c>.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/{project_id}/models");
        group.MapPost("", async (HttpContext context, string project_id, ModelRegistry registry) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var request = await ApiJson.ReadBodyAsync<CreateModelRequest>(context.Request, context.RequestAborted);
            var model = registry.Create(caller, request);
            return Results.Json(new { model_id = model.Id }, ApiJson.Options);
        });
        group.MapGet("", (HttpContext context, string project_id, ModelStore store, string? model_name, bool? exact_match, string? model_version,
            string? model_status, string? description, string? model_type, string? not_model_type, int? offset, int? limit, string? sort_by, string? order) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            if (model_type is not null && not_model_type is not null)
            {
                throw Core.Errors.Errors.InvalidArgument("model_type and not_model_type cannot be combined.");
            }

            CheckChoice("sort_by", sort_by, s_sortFields);
            CheckChoice("order", order, s_orders);
            CheckChoice("model_status", model_status, s_statuses);
            if (offset < 0)
            {
                throw Core.Errors.Errors.InvalidParameter("offset", offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "use 0 or more.");
            }

            if (limit is < 1 or > 1000)
            {
                throw Core.Errors.Errors.InvalidParameter("limit", limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "use 1 to 1000.");
            }

            var query = new ModelQuery
            {
                Name = model_name,
                ExactMatch = exact_match ?? false,
                Version = model_version,
                Status = model_status,
                Description = description,
                ModelType = model_type,
                NotModelType = not_model_type,
                Offset = Math.Max(0, offset ?? 0),
                Limit = Math.Clamp(limit ?? 1000, 1, 1000),
                SortBy = sort_by ?? "create_at",
                Ascending = string.Equals(order, "asc", StringComparison.OrdinalIgnoreCase),
            };
            var (page, total) = store.List(caller.ProjectId, query);
            var models = new JsonArray(page.Select(m => (JsonNode?)ModelViews.ListItem(m)).ToArray());
            return Results.Json(new JsonObject { ["total_count"] = total, ["count"] = page.Count, ["models"] = models }, ApiJson.Options);
        });
        group.MapGet("/{model_id}", (HttpContext context, string project_id, string model_id, ModelRegistry registry) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var model = registry.Get(caller.ProjectId, model_id);
            return Results.Json(ModelViews.Details(model, registry.ServicesUsing(caller.ProjectId, model.Id)), ApiJson.Options);
        });
        group.MapGet("/templates", (HttpContext context, string project_id, string? type, string? engine, string? environment, string? keyword,
            int? offset, int? limit) =>
        {
            ProjectScope.Require(context, project_id);
            var found = ModelTemplates.Search(type, engine, environment, keyword);
            var page = found.Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 1000, 1, 1000)).Select(t => (JsonNode?)TemplateView(t)).ToArray();
            return Results.Json(new JsonObject { ["total_count"] = found.Count, ["count"] = page.Length, ["templates"] = new JsonArray(page) }, ApiJson.Options);
        });
        group.MapGet("/templates/{template_id}", (HttpContext context, string project_id, string template_id) =>
        {
            ProjectScope.Require(context, project_id);
            var template = ModelTemplates.Find(template_id) ?? throw Core.Errors.Errors.ObjectNotFound($"Template {template_id}");
            return Results.Json(TemplateView(template), ApiJson.Options);
        });
        group.MapGet("/infer-formats", (HttpContext context, string project_id) =>
        {
            ProjectScope.Require(context, project_id);
            var formats = InferFormats.All.Select(f => (JsonNode?)new JsonObject
            {
                ["infer_format"] = f.Id,
                ["name"] = f.Name,
                ["description"] = f.Description,
                ["model_algorithm"] = f.ModelAlgorithm,
                ["apis"] = f.Apis(),
                ["batch_deployable"] = f.Id != InferFormats.Undefined,
            }).ToArray();
            return Results.Json(new JsonObject { ["count"] = formats.Length, ["infer_formats"] = new JsonArray(formats) }, ApiJson.Options);
        });
        group.MapGet("/ai-engine-runtimes", (HttpContext context, string project_id) =>
        {
            ProjectScope.Require(context, project_id);
            var engines = ModelTypes.All.Select(engine => (JsonNode?)new JsonObject
            {
                ["ai_engine"] = engine,
                ["runtimes"] = new JsonArray(ModelTypes.GetRuntimes(engine).Select(r => (JsonNode?)r).ToArray()),
                ["request_mode"] = new JsonArray("sync"),
                ["accelerators"] = new JsonArray(new JsonObject { ["type"] = "none" }),
                ["arch"] = new JsonArray("x86_64"),
                ["status_list"] = new JsonArray(ModelTypes.IsRunnableHere(engine) ? "normal" : "unavailable"),
                ["image_source"] = new JsonArray("base_image"),
            }).ToArray();
            return Results.Json(new JsonObject { ["count"] = engines.Length, ["total_count"] = engines.Length, ["engine_runtimes"] = new JsonArray(engines) }, ApiJson.Options);
        });
        group.MapPost("/{model_id}/versions", async (HttpContext context, string project_id, string model_id, ModelRegistry registry) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var request = context.Request.ContentLength is 0 or null && context.Request.Headers.TransferEncoding.Count == 0
                ? new CreateModelRequest()
                : await ApiJson.ReadBodyAsync<CreateModelRequest>(context.Request, context.RequestAborted);
            var model = registry.CreateVersion(caller, model_id, request);
            return Results.Json(new { model_id = model.Id, model_version = model.Version }, ApiJson.Options);
        });
        group.MapGet("/{model_id}/versions", (HttpContext context, string project_id, string model_id, ModelRegistry registry) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var model = registry.Get(caller.ProjectId, model_id);
            var versions = registry.ListVersions(caller.ProjectId, model.Name);
            var items = versions.Select(v =>
            {
                var item = ModelViews.ListItem(v);
                item["source_location"] = v.SourceLocation;
                item["runtime"] = v.Runtime;
                item["services"] = new JsonArray(registry.ServicesUsing(caller.ProjectId, v.Id)
                    .Select(s => (JsonNode?)new JsonObject { ["service_id"] = s.Id, ["service_name"] = s.Name, ["status"] = s.Status }).ToArray());
                return (JsonNode?)item;
            }).ToArray();
            return Results.Json(new JsonObject
            {
                ["model_name"] = model.Name,
                ["version_count"] = versions.Count,
                ["latest_version"] = versions.Count > 0 ? versions[0].Version : null,
                ["versions"] = new JsonArray(items),
            }, ApiJson.Options);
        });
        group.MapPut("/{model_id}", async (HttpContext context, string project_id, string model_id, ModelRegistry registry) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var request = await ApiJson.ReadBodyAsync<UpdateModelRequest>(context.Request, context.RequestAborted);
            registry.Update(caller, model_id, request);
            return Results.Json(new { model_id }, ApiJson.Options);
        });
        group.MapDelete("/{model_id}", (HttpContext context, string project_id, string model_id, bool? cascade, ModelRegistry registry) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var (deleted, failed) = registry.Delete(caller.ProjectId, model_id, cascade ?? false);
            return Results.Json(new
            {
                delete_success_list = deleted,
                delete_failed_list = failed.Select(f => new { model_id = f.ModelId, error_code = f.Error.ErrorCode, error_msg = f.Error.Message }),
            }, ApiJson.Options);
        });
        group.MapGet("/{model_id}/events", (HttpContext context, string project_id, string model_id, string? event_type, string? event_info,
            long? start_time, long? end_time, int? offset, int? limit, string? sort_by, string? order, ModelRegistry registry, EventStore events) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var model = registry.Get(caller.ProjectId, model_id);
            var (page, total) = Observability.EventQuery.Parse(event_type, event_info, start_time, end_time, offset, limit, sort_by, order).Run(events, model.Id);
            return Results.Json(new
            {
                model_id = model.Id,
                model_name = model.Name,
                total_count = total,
                count = page.Count,
                events = page.Select(EventView),
            }, ApiJson.Options);
        });
        return app;
    }

    private static readonly string[] s_sortFields = ["create_at", "model_version", "model_size"];
    private static readonly string[] s_orders = ["asc", "desc"];
    private static readonly string[] s_statuses = ["publishing", "published", "failed", "building", "building_failed"];

    private static void CheckChoice(string name, string? value, string[] choices)
    {
        if (value is not null && !choices.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            throw Core.Errors.Errors.InvalidParameter(name, value, $"use one of {string.Join(", ", choices)}.");
        }
    }

    /// <summary>A template as <c>GET …/models/templates</c> shows it.</summary>
    /// <param name="t">The template.</param>
    /// <returns>template_id, template_name, description, type, engine, environment, infer_format, infer_format_overridable, template_inputs.</returns>
    public static JsonObject TemplateView(ModelTemplate t) => new()
    {
        ["template_id"] = t.Id,
        ["template_name"] = t.Name,
        ["description"] = t.Description,
        ["type"] = t.Type,
        ["engine"] = t.Engine,
        ["environment"] = t.Environment,
        ["infer_format"] = t.InferFormatId,
        ["infer_format_overridable"] = t.Overridable,
        ["runnable_here"] = ModelTypes.IsRunnableHere(t.Engine),
        ["template_inputs"] = new JsonArray(new JsonObject { ["input_id"] = ModelTemplate.ModelInputId, ["description"] = "the model folder (customize_service.py and model files)" }),
    };

    /// <summary>An event as the API shows it.</summary>
    public static object EventView(EventRecord e) => new { event_type = e.EventType, event_info = e.EventInfo, occur_time = e.OccurTime };
}
