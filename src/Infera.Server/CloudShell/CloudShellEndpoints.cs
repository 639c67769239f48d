using System.Collections;
using Infera.Core.Errors;
using Infera.Core.Services;
using Infera.Runtime.Processes;
using Infera.Server.Api;
using Infera.Server.Observability;
using Infera.Server.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Infera.Server.CloudShell;

/// <summary>
/// CloudShell (R-S16, seed 003 §3.1.6): an interactive terminal in a running instance of a real-time service.
/// <c>POST /v1/{project_id}/services/{service_id}/instances/{instance_id}/cloudshell</c> (usual credentials, project
/// scope) checks that the service is running or concerning and the instance running, and answers 201
/// <c>{"ticket","expires_at","websocket_path"}</c>; the WebSocket handshake
/// <c>GET …/cloudshell?ticket=…</c> redeems the ticket (once, within a minute) and starts the shell in the instance's
/// working folder with the instance's environment. The protocol is in <see cref="CloudShellSession"/>.
/// </summary>
public static partial class CloudShellEndpoints
{
    private const string Route = "/v1/{project_id}/services/{service_id}/instances/{instance_id}/cloudshell";

    /// <summary>Registers the CloudShell services (tickets, options), each with <c>TryAdd</c>.</summary>
    public static IServiceCollection AddCloudShell(this IServiceCollection services)
    {
        services.TryAddSingleton(new CloudShellOptions());
        services.TryAddSingleton<CloudShellTickets>();
        services.TryAddSingleton<CloudShellSessions>();
        return services;
    }

    /// <summary>Maps the ticket route and the WebSocket route.</summary>
    public static IEndpointRouteBuilder MapCloudShellEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, (HttpContext context, string project_id, string service_id, string instance_id, ServiceManager manager,
            ServiceReconciler reconciler, InstanceTelemetry telemetry, CloudShellTickets tickets) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            _ = FindInstance(manager, reconciler, telemetry, caller.ProjectId, service_id, instance_id);
            var (ticket, expiresAt) = tickets.Issue(new CloudShellTarget(caller.ProjectId, service_id, instance_id, caller.UserId, caller.UserName));
            return Results.Json(new
            {
                ticket,
                expires_at = expiresAt.ToUnixTimeMilliseconds(),
                websocket_path = $"/v1/{caller.ProjectId}/services/{service_id}/instances/{instance_id}/cloudshell?ticket={ticket}",
            }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        });

        // The handshake carries no credentials a browser could add; the one-time ticket is the authentication.
        app.MapGet(Route, async (HttpContext context, string project_id, string service_id, string instance_id, string? ticket, int? cols, int? rows,
            ServiceManager manager, ServiceReconciler reconciler, InstanceTelemetry telemetry, CloudShellTickets tickets, CloudShellSessions sessions,
            CloudShellOptions options, TimeProvider time, ILoggerFactory loggers) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                throw Errors.InvalidArgument("CloudShell is a WebSocket endpoint: open it with a WebSocket handshake and the ticket from POST.");
            }

            var target = tickets.Redeem(ticket, project_id, service_id, instance_id)
                ?? throw new InferaException(401, "APIG.0301", "Incorrect IAM authentication information: the CloudShell ticket is unknown, used or expired; POST …/cloudshell for a new one.");
            var process = FindInstance(manager, reconciler, telemetry, target.ProjectId, service_id, instance_id);
            using var slot = sessions.TryEnter(options.MaxSessions)
                ?? throw new InferaException(429, "ModelArts.0429", $"Too many CloudShell sessions are open (at most {options.MaxSessions}); close one and retry.");
            var shell = options.Shells.FirstOrDefault(File.Exists) ?? throw Errors.Internal("No shell to start: none of " + string.Join(", ", options.Shells) + " exists.");
            // Started before the handshake is accepted, so that a shell that cannot start is an HTTP error.
            var terminal = PseudoTerminal.Start(shell, process.Spec.WorkingDirectory, ShellEnvironment(process.Spec), cols ?? 120, rows ?? 30);
            try
            {
                var logger = loggers.CreateLogger(typeof(CloudShellEndpoints).FullName!);
                LogStarted(logger, target.UserName, instance_id, service_id, terminal.Pid);
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await new CloudShellSession(socket, terminal, options.IdleTimeout, time, logger).RunAsync(context.RequestAborted);
            }
            finally
            {
                terminal.Dispose();
            }
        }).WithMetadata(new AllowAnonymousAttribute());
        return app;
    }

    /// <summary>
    /// The instance's live process after the checks of seed 003 §3.1.6: a real-time service of the project that is
    /// running or concerning (else 400 ModelArts.3519), and an instance of it that is running (else 404 / 3519).
    /// </summary>
    private static InstanceProcess FindInstance(ServiceManager manager, ServiceReconciler reconciler, InstanceTelemetry telemetry,
        string projectId, string serviceId, string instanceId)
    {
        var service = manager.Get(projectId, serviceId);
        if (service.InferType != InferTypes.RealTime || service.Status is not (ServiceStatus.Running or ServiceStatus.Concerning))
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, "opened in CloudShell: only running real-time services can be");
        }

        var view = reconciler.Instances(service.Id).FirstOrDefault(i => i.Id == instanceId)
            ?? throw Errors.ObjectNotFound($"Instance {instanceId} of service {service.Id}");
        var process = telemetry.LiveProcesses.FirstOrDefault(p => p.Spec.InstanceId == instanceId && p.Spec.ServiceId == service.Id);
        if (view.Status != "running" || process is null || process.Exited.IsCompleted)
        {
            throw Errors.IllegalServiceState(service.Id, service.Status, $"opened in CloudShell on instance {instanceId}, which is {view.Status}; only running instances can be");
        }

        return process;
    }

    /// <summary>What the instance's process got: the server's environment, the service's envs, the instance variables.</summary>
    private static Dictionary<string, string> ShellEnvironment(InstanceSpec spec)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (var (key, value) in spec.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in InstanceProcess.InstanceVariables(spec))
        {
            environment[key] = value;
        }

        environment["PS1"] = $@"\u@{spec.InstanceId[..Math.Min(8, spec.InstanceId.Length)]}:\w\$ ";
        return environment;
    }

    [LoggerMessage(EventId = 1600, EventName = "CloudShellStarted", Level = LogLevel.Information,
        Message = "CloudShell for {User} on instance {InstanceId} of service {ServiceId}: shell {Pid}.")]
    private static partial void LogStarted(ILogger logger, string user, string instanceId, string serviceId, int pid);
}
