using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.Server.Hosting.Health;

/// <summary>
/// The server's health endpoints (issue #20), on ASP.NET Core health checks: <c>/healthz</c> answers 200 while the
/// process runs (liveness, no check); <c>/readyz</c> runs every <see cref="ReadinessCheckAttribute"/> check and answers
/// 200 when all are healthy or degraded, 503 otherwise. Both bodies are
/// <c>{"status": "Healthy|Degraded|Unhealthy", "checks": [{"name", "status", "description", "data"}]}</c>; neither needs
/// authentication. <c>/health</c> stays as it was (<c>{"status":"OK"}</c>).
/// </summary>
public static class InferaHealthChecks
{
    /// <summary>The tag of the readiness checks.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers every readiness check of this assembly.</summary>
    public static IServiceCollection AddInferaHealthChecks(this IServiceCollection services)
    {
        var builder = services.AddHealthChecks();
        var checks = typeof(InferaHealthChecks).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(IHealthCheck).IsAssignableFrom(t))
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<ReadinessCheckAttribute>()))
            .Where(c => c.Attribute is not null)
            .OrderBy(c => c.Attribute!.Name, StringComparer.Ordinal);
        foreach (var (type, attribute) in checks)
        {
            builder.Add(new HealthCheckRegistration(attribute!.Name, sp => (IHealthCheck)ActivatorUtilities.CreateInstance(sp, type),
                HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(10)));
        }

        return services;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static IEndpointRouteBuilder MapInferaHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        }, cancellationToken: context.RequestAborted);
    }
}
