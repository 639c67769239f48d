using System.CommandLine;
using System.Globalization;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;
using Spectre.Console.Rendering;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// The service operations of issue #6: <c>update</c> (rolling), <c>restart</c>, <c>instances [--delete id]</c>,
/// <c>specs</c> and <c>history</c>.
/// </summary>
internal static class ServiceOperationCommands
{
    /// <summary>
    /// Parses <c>--auto-stop</c>: <c>off</c>, or hours <c>1h</c>…<c>24h</c> (a bare number is hours).
    /// Returns an empty list for off (which switches auto-stop off on update).
    /// </summary>
    /// <param name="text">The option value.</param>
    /// <returns>The schedule list.</returns>
    public static List<ServiceSchedule> AutoStop(string text)
    {
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var hours = text.EndsWith('h') ? text[..^1] : text;
        if (!int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 24)
        {
            throw CliException.Usage($"--auto-stop expects off or 1h-24h (e.g. 1h, 2h, 4h, 6h), not '{text}'");
        }

        return [new ServiceSchedule { Type = "stop", TimeUnit = "HOURS", Duration = value }];
    }

    /// <summary>Creates <c>infera service update</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Update(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var model = new Option<string[]>("--model") { Description = "Model version: id or name:version, optionally =weight (repeatable; replaces the configuration)" };
        var instances = new Option<int?>("--instances") { Description = "Instances per model version (1-128)" };
        var spec = new Option<string?>("--spec") { Description = "Flavor (see: infera service specs)" };
        var env = new Option<string[]>("--env") { Description = "Environment variable KEY=VALUE (repeatable; replaces the envs)" };
        var maxUnavailable = new Option<double?>("--max-unavailable") { Description = "Instances that may be unavailable during the rolling update (<1: a fraction)" };
        var autoStop = new Option<string?>("--auto-stop") { Description = "off, or stop after 1h-24h" };
        var description = new Option<string?>("--description") { Description = "New description" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after the update is accepted" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait", DefaultValueFactory = _ => 1800 };
        var traffic = new TrafficOptions();
        var command = new Command("update", "Change a service: versions, weights, instances, flavor, envs (rolling), auto-stop, description, grey-release rules, rate limits")
        {
            service, model, instances, spec, env, maxUnavailable, autoStop, description, noWait, timeout,
        };
        traffic.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var current = await client.GetServiceAsync(id, ct);
            var envs = Arguments.Pairs("--env", parseResult.GetValue(env));
            var models = parseResult.GetValue(model) ?? [];
            var configChange = models.Length > 0 || parseResult.GetValue(instances) is not null || parseResult.GetValue(spec) is not null || envs.Count > 0
                || parseResult.GetValue(maxUnavailable) is not null;
            List<ServiceConfig>? config = null;
            if (configChange)
            {
                config = [];
                var items = models.Length > 0
                    ? await Task.WhenAll(models.Select(async m =>
                    {
                        var equals = m.LastIndexOf('=');
                        int? weight = equals > 0 ? int.Parse(m[(equals + 1)..], CultureInfo.InvariantCulture) : null;
                        var modelId = await Resolver.ResolveModelAsync(client, equals > 0 ? m[..equals] : m, allowLatest: false, ct);
                        return (ModelId: modelId, Weight: weight ?? (models.Length == 1 ? 100 : throw CliException.Usage($"--model {m}: give =weight for each of several versions")),
                            Previous: current.Config.FirstOrDefault(c => c.ModelId == modelId) ?? current.Config.FirstOrDefault());
                    }))
                    : current.Config.Select(c => (c.ModelId, Weight: c.Weight ?? 100, Previous: (ServiceConfig?)c)).ToArray();
                foreach (var (modelId, weight, previous) in items)
                {
                    config.Add(new ServiceConfig
                    {
                        ModelId = modelId,
                        Weight = weight,
                        Specification = parseResult.GetValue(spec) ?? previous?.Specification ?? "modelarts.vm.cpu.2u",
                        CustomSpec = parseResult.GetValue(spec) is null ? previous?.CustomSpec : null,
                        InstanceCount = parseResult.GetValue(instances) ?? previous?.InstanceCount ?? 1,
                        Envs = envs.Count > 0 ? envs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value) : previous?.Envs,
                        DeployTimeoutInSeconds = previous?.DeployTimeoutInSeconds,
                        AdditionalProperties = parseResult.GetValue(maxUnavailable) is { } mu
                            ? new ServiceConfigProperties { MaxUnavailable = mu, MaxSurge = previous?.AdditionalProperties?.MaxSurge }
                            : previous?.AdditionalProperties,
                    });
                }
            }

            var schedule = parseResult.GetValue(autoStop) is { } stop ? AutoStop(stop) : null;
            await client.UpdateServiceAsync(
                id,
                new UpdateServiceRequest
                {
                    Config = config,
                    Schedule = schedule,
                    Description = parseResult.GetValue(description),
                    RoutingRules = traffic.ReadRules(parseResult),
                    RateLimit = parseResult.GetValue(traffic.RateLimit),
                    RateLimitPerReplica = parseResult.GetValue(traffic.RateLimitPerReplica),
                },
                ct);
            if (config is null)
            {
                session.Emit(await client.GetServiceAsync(id, ct), Views.Service);
                return ExitCodes.Success;
            }

            return await WaitForUpdateAsync(session, client, id, parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }

    /// <summary>Creates <c>infera service restart</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Restart(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after the restart is accepted" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait", DefaultValueFactory = _ => 1800 };
        var command = new Command("restart", "Restart a running or concerning service (instances replaced one by one)") { service, noWait, timeout };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            await client.RestartServiceAsync(id, ct);
            return await WaitForUpdateAsync(session, client, id, parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }

    /// <summary>Creates <c>infera service instances</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Instances(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var delete = new Option<string?>("--delete") { Description = "Delete this instance (a new one replaces it)" };
        var command = new Command("instances", "List the instances of a service, or delete one") { service, delete };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            if (parseResult.GetValue(delete) is { } instance)
            {
                await client.DeleteServiceInstanceAsync(id, instance, ct);
                session.Info($"deleted instance {instance}; a new one replaces it");
            }

            session.Emit(await client.ListServiceInstancesAsync(id, ct), InstancesView);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Creates <c>infera service specs</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Specs(CliContext context)
    {
        var command = new Command("specs", "List the deployment flavors of this node");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            session.Emit(await client.ListSpecificationsAsync(ct), list =>
            {
                var table = Tables.Create("Specification", "Category", "Resources", "Available");
                foreach (var s in list.Specifications)
                {
                    Tables.Row(table, s.Specification, s.Category, s.DisplayEn, s.IsOpen ? "yes" : $"no: {s.UnavailableReason}");
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Creates <c>infera service history</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command History(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var command = new Command("history", "Show the configuration update history of a service (newest first)") { service };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            session.Emit(await client.ListServiceUpdateLogsAsync(id, ct), list =>
            {
                var table = Tables.Create("Time", "Result", "Configuration", "By", "Detail");
                foreach (var log in list.Logs)
                {
                    Tables.Row(table, Tables.Time(log.UpdateTime), log.Result,
                        string.Join(", ", log.Config.Select(c => $"{c.ModelName} {c.ModelVersion} ×{c.InstanceCount} {c.Weight}% {c.Specification}")), log.Operator, log.Detail);
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static IRenderable InstancesView(ServiceInstanceList list)
    {
        var table = Tables.Create("Instance", "Version", "Status", "Ready", "Restarts", "Started", "Address", "Flavor", "Limits");
        foreach (var i in list.Instances)
        {
            Tables.Row(table, i.InstanceId, i.ModelVersion, i.Status, i.Ready ? "yes" : "no", Tables.Number(i.Restarts), Tables.Time(i.StartTime),
                $"{i.Host}:{i.Port.ToString(CultureInfo.InvariantCulture)}", i.Specification, i.ResourceLimitsEnforced ? "enforced" : "not enforced");
        }

        return table;
    }

    // A rolling update or restart ends when its history entry is no longer RUNNING.
    private static async Task<int> WaitForUpdateAsync(CliSession session, Client.InferaClient client, string id, bool noWait, TimeSpan timeout, CancellationToken ct)
    {
        if (!noWait)
        {
            var log = await Waiter.WaitAsync(session, $"update of service {id}", timeout, c => client.ListServiceUpdateLogsAsync(id, c),
                l => l.Logs.FirstOrDefault()?.Result ?? "", l => l.Logs.FirstOrDefault()?.Result != "RUNNING", ct);
            if (log.Logs.FirstOrDefault() is { Result: "FAIL" } failed)
            {
                session.Context.Error($"update of service {id} failed and was rolled back: {failed.Detail}");
                return ExitCodes.WaitFailed;
            }
        }

        return await ServiceLifecycle.SettleAsync(session, client, id, ["running", "concerning", "stopped"], noWait, timeout, ct);
    }
}
