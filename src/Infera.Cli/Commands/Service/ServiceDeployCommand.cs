using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// <c>infera service deploy --name &lt;n&gt; --model &lt;id | name:version&gt; [--instances k] [--spec …] [--env K=V …] [--auto-stop 1h|off] [--deploy-timeout min] [--tag K=V …]
/// [--routing-rules rules.json] [--rate-limit n | --rate-limit-per-replica n] [--websocket] [--no-wait]</c>:
/// deploys a real-time service and waits until it is running or failed. With <c>--infer-type batch --src obs://… --dest obs://…
/// [--req-uri /] [--mapping-type file|csv] [--mapping-rule rule.json]</c> it deploys a batch service and follows its
/// progress until it is finished, failed or stopped.
/// </summary>
internal static class ServiceDeployCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "Service name", Required = true };
        var model = new Option<string>("--model") { Description = "Model id or name:version", Required = true };
        var instances = new Option<int>("--instances") { Description = "Number of instances (1-128)", DefaultValueFactory = _ => 1 };
        var spec = new Option<string>("--spec") { Description = "Flavor", DefaultValueFactory = _ => "modelarts.vm.cpu.2u" };
        var env = new Option<string[]>("--env") { Description = "Environment variable KEY=VALUE (repeatable)" };
        var description = new Option<string?>("--description") { Description = "Description" };
        var autoStop = new Option<string>("--auto-stop") { Description = "Stop automatically after 1h-24h, or off (the console's default: 1h)", DefaultValueFactory = _ => "1h" };
        var deployTimeout = new Option<int?>("--deploy-timeout") { Description = "Minutes one instance may take to start (3-120, default 20)" };
        var tag = new Option<string[]>("--tag") { Description = "Tag KEY=VALUE (repeatable)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after the deployment starts" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for running (batch: finished)", DefaultValueFactory = _ => 1800 };
        var inferType = new Option<string>("--infer-type") { Description = "real-time or batch", DefaultValueFactory = _ => "real-time" };
        inferType.AcceptOnlyFromAmong("real-time", "batch");
        var src = new Option<string?>("--src") { Description = "Batch: input folder obs://bucket/folder/ or a .manifest file" };
        var dest = new Option<string?>("--dest") { Description = "Batch: output folder obs://bucket/folder/" };
        var reqUri = new Option<string?>("--req-uri") { Description = "Batch: the model API path to call (default: the model's only API)" };
        var mappingType = new Option<string?>("--mapping-type") { Description = "Batch: file (one request per file) or csv (one request per CSV row); default from the API" };
        mappingType.AcceptOnlyFromAmong("file", "csv");
        var websocket = new Option<bool>("--websocket") { Description = "Deploy as a WebSocket service (ws:// access address; cannot be changed later)" };
        var traffic = new TrafficOptions();
        var mappingRule = new Option<FileInfo?>("--mapping-rule") { Description = "Batch, csv: JSON file with the mapping rule (default: generated from the request schema)" };
        var command = new Command("deploy", "Deploy a model as a real-time or batch service")
        {
            name, model, instances, spec, env, description, autoStop, deployTimeout, tag, noWait, timeout, inferType, src, dest, reqUri, mappingType, mappingRule, websocket,
        };
        traffic.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var count = parseResult.GetValue(instances);
            if (count is < 1 or > 128)
            {
                throw CliException.Usage("--instances must be between 1 and 128");
            }

            var envs = Arguments.Pairs("--env", parseResult.GetValue(env));
            var schedule = ServiceOperationCommands.AutoStop(parseResult.GetValue(autoStop)!);
            var tags = Arguments.Pairs("--tag", parseResult.GetValue(tag));
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var client = await session.GetClientAsync(ct);
            var modelId = await Resolver.ResolveModelAsync(client, parseResult.GetValue(model)!, allowLatest: false, ct);
            if (parseResult.GetValue(inferType) == "batch")
            {
                var batch = new ServiceConfig
                {
                    ModelId = modelId,
                    Specification = parseResult.GetValue(spec)!,
                    InstanceCount = count,
                    Envs = envs.Count == 0 ? null : envs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
                    SrcPath = parseResult.GetValue(src) ?? throw CliException.Usage("--src is required for a batch service"),
                    DestPath = parseResult.GetValue(dest) ?? throw CliException.Usage("--dest is required for a batch service"),
                    ReqUri = parseResult.GetValue(reqUri),
                    MappingType = parseResult.GetValue(mappingType),
                    MappingRule = ReadRule(parseResult.GetValue(mappingRule)),
                };
                var deployed = await client.CreateServiceAsync(
                    new CreateServiceRequest
                    {
                        ServiceName = parseResult.GetValue(name)!,
                        Description = parseResult.GetValue(description),
                        InferType = "batch",
                        Config = [batch],
                    },
                    ct);
                session.Info($"created batch service {deployed.ServiceId}");
                var settled = parseResult.GetValue(noWait)
                    ? await client.GetServiceAsync(deployed.ServiceId, ct)
                    : await BatchProgress.WatchAsync(session, client, deployed.ServiceId, wait, ct);
                session.Emit(settled, Views.Service);
                if (settled.Status == "failed")
                {
                    session.Context.Error($"batch service {settled.ServiceName} ({settled.ServiceId}) failed: {settled.ErrorMsg}");
                    return ExitCodes.WaitFailed;
                }

                return ExitCodes.Success;
            }

            var created = await client.CreateServiceAsync(
                new CreateServiceRequest
                {
                    ServiceName = parseResult.GetValue(name)!,
                    Description = parseResult.GetValue(description),
                    Config =
                    [
                        new ServiceConfig
                        {
                            ModelId = modelId,
                            Weight = 100,
                            Specification = parseResult.GetValue(spec)!,
                            InstanceCount = count,
                            Envs = envs.Count == 0 ? null : envs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
                            DeployTimeoutInSeconds = parseResult.GetValue(deployTimeout) * 60,
                        },
                    ],
                    Schedule = schedule.Count == 0 ? null : schedule,
                    Tags = tags.Count == 0 ? null : tags.Select(t => new ServiceTag { Key = t.Key, Value = t.Value }).ToList(),
                    RoutingRules = traffic.ReadRules(parseResult),
                    RateLimit = parseResult.GetValue(traffic.RateLimit),
                    RateLimitPerReplica = parseResult.GetValue(traffic.RateLimitPerReplica),
                    AdditionalProperties = parseResult.GetValue(websocket) ? new ServiceAdditionalProperties { WebsocketUpgrade = true } : null,
                },
                ct);
            session.Info($"created service {created.ServiceId}");
            return await ServiceLifecycle.SettleAsync(session, client, created.ServiceId, ["running", "concerning"], parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }

    private static System.Text.Json.Nodes.JsonObject? ReadRule(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw CliException.NotFound($"mapping rule file {file.FullName} does not exist");
        }

        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file.FullName)) as System.Text.Json.Nodes.JsonObject
                ?? throw CliException.Usage($"{file.Name} must hold a JSON object (the request schema with an \"index\" per field)");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw CliException.Usage($"{file.Name} is not valid JSON: {e.Message}");
        }
    }
}
