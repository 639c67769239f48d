using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// <c>infera service deploy --name &lt;n&gt; --model &lt;id | name:version&gt; [--instances k] [--spec …] [--env K=V …] [--auto-stop 1h|off] [--deploy-timeout min] [--tag K=V …] [--no-wait]</c>:
/// deploys a real-time service and waits until it is running or failed.
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
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for running", DefaultValueFactory = _ => 1800 };
        var command = new Command("deploy", "Deploy a model as a real-time service")
        {
            name, model, instances, spec, env, description, autoStop, deployTimeout, tag, noWait, timeout,
        };
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
                },
                ct);
            session.Info($"created service {created.ServiceId}");
            return await ServiceLifecycle.SettleAsync(session, client, created.ServiceId, ["running", "concerning"], parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }
}
