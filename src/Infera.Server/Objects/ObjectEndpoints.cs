using Infera.Server.Api;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Objects;

/// <summary>
/// The object-store HTTP API (R-P1, Infera extension under the ModelArts prefix; docs/api.md):
/// buckets and objects of the caller's project.
/// </summary>
public static class ObjectEndpoints
{
    /// <summary>Largest object accepted by one PUT: 5 GiB (above that ModelArts requires dynamic loading, R-M9).</summary>
    public const long MaxObjectBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>Maps <c>/v1/{project_id}/obs/...</c>.</summary>
    public static IEndpointRouteBuilder MapObjectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/{project_id}/obs/buckets");
        group.MapGet("", (HttpContext context, string project_id, BucketStore buckets) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var list = buckets.List(caller.ProjectId).Select(b => new { name = b.Name, create_at = b.CreatedAt });
            return Results.Json(new { buckets = list }, ApiJson.Options);
        });
        group.MapPut("/{bucket}", (HttpContext context, string project_id, string bucket, ObjectStorageService obs) =>
        {
            obs.CreateBucket(ProjectScope.Require(context, project_id).ProjectId, bucket);
            return Results.Json(new { }, ApiJson.Options);
        });
        group.MapDelete("/{bucket}", (HttpContext context, string project_id, string bucket, ObjectStorageService obs) =>
        {
            obs.DeleteBucket(ProjectScope.Require(context, project_id).ProjectId, bucket);
            return Results.Json(new { }, ApiJson.Options);
        });
        group.MapGet("/{bucket}/objects", (HttpContext context, string project_id, string bucket, string? prefix, string? delimiter, string? marker, int? limit, ObjectStorageService obs) =>
        {
            obs.RequireBucket(ProjectScope.Require(context, project_id).ProjectId, bucket);
            var page = obs.Store.List(bucket, prefix ?? "", delimiter, marker, Math.Clamp(limit ?? 1000, 1, 1000));
            return Results.Json(new
            {
                bucket,
                prefix = prefix ?? "",
                objects = page.Objects.Select(o => new { key = o.Key, size = o.Size, last_modified = o.LastModified, etag = o.ETag }),
                common_prefixes = page.CommonPrefixes,
                next_marker = page.NextMarker,
            }, ApiJson.Options);
        });
        group.MapPut("/{bucket}/objects/{**key}", async (HttpContext context, string project_id, string bucket, string key, ObjectStorageService obs) =>
        {
            obs.RequireBucket(ProjectScope.Require(context, project_id).ProjectId, bucket);
            var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (size is { IsReadOnly: false })
            {
                size.MaxRequestBodySize = MaxObjectBytes;
            }

            var info = await obs.Store.PutAsync(bucket, key, context.Request.Body, context.RequestAborted);
            return Results.Json(new { bucket, key = info.Key, size = info.Size, etag = info.ETag }, ApiJson.Options);
        });
        group.MapGet("/{bucket}/objects/{**key}", (HttpContext context, string project_id, string bucket, string key, ObjectStorageService obs) =>
        {
            obs.RequireBucket(ProjectScope.Require(context, project_id).ProjectId, bucket);
            var stream = obs.Store.OpenRead(bucket, key);
            return Results.Stream(stream, "application/octet-stream", enableRangeProcessing: true);
        });
        group.MapDelete("/{bucket}/objects/{**key}", (HttpContext context, string project_id, string bucket, string key, ObjectStorageService obs) =>
        {
            obs.RequireBucket(ProjectScope.Require(context, project_id).ProjectId, bucket);
            obs.Store.Delete(bucket, key);
            return Results.Json(new { }, ApiJson.Options);
        });
        return app;
    }
}
