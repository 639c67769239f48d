using System.CommandLine;
using System.Globalization;
using Infera.Cli.Infrastructure;
using Infera.Client;
using Infera.Client.Observability;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// <c>infera service logs|metrics|alarm</c>: instance logs with the R-S12 search, per-minute metrics (R-S13) and
/// alarm rules.
/// </summary>
internal static class ServiceObservabilityCommands
{
    /// <summary><c>infera service logs &lt;service&gt; [--last 30m | --start ms --end ms] [--query q] [--instance id] [--limit n] [--asc]</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Logs(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var last = new Option<string?>("--last") { Description = "Back from now: 5m, 30m, 60m, 1h, 2d … (default: the last hour)" };
        var start = new Option<long?>("--start") { Description = "Range start, ms since the Unix epoch" };
        var end = new Option<long?>("--end") { Description = "Range end, ms since the Unix epoch" };
        var query = new Option<string?>("--query", "-q") { Description = "Search: keyword, er?or / rro*, \"a phrase\", && / AND, || / OR, parentheses" };
        var instance = new Option<string?>("--instance") { Description = "Only this instance id" };
        var limit = new Option<int?>("--limit") { Description = "Lines to show, 1-1000 (default 100)" };
        var ascending = new Option<bool>("--asc") { Description = "Oldest first (default newest first)" };
        var command = new Command("logs", "Search the stdout/stderr lines of a service's instances (kept 7 days)") { service, last, start, end, query, instance, limit, ascending };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var page = await client.ListInstanceLogsAsync(id, new InstanceLogQuery
            {
                Last = parseResult.GetValue(last),
                StartTime = parseResult.GetValue(start),
                EndTime = parseResult.GetValue(end),
                Query = parseResult.GetValue(query),
                InstanceId = parseResult.GetValue(instance),
                Limit = parseResult.GetValue(limit),
                Order = parseResult.GetValue(ascending) ? "asc" : "desc",
            }, ct);
            session.Emit(page, LogTable);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>infera service metrics &lt;service&gt; [--last 60m] [--version A.B.C]</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Metrics(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var last = new Option<string?>("--last") { Description = "Back from now: 30m, 60m, 12h … (default: the last hour)" };
        var version = new Option<string?>("--version") { Description = "Only this model version (A.B.C or model id)" };
        var command = new Command("metrics", "Per-minute calls, status classes, latency, CPU and memory of a service") { service, last, version };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var modelId = await VersionIdAsync(client, id, parseResult.GetValue(version), ct);
            var metrics = await client.GetServiceMetricsAsync(id, new ServiceMetricsQuery { Last = parseResult.GetValue(last), ModelId = modelId }, ct);
            session.Emit(metrics, m => MetricTable(m.Metrics));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>infera service alarm create|list|delete</c>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Alarm(CliContext context)
    {
        var alarm = new Command("alarm", "Alarm rules: a metric compared with a threshold for consecutive minutes makes the service concerning");

        var service = new Argument<string>("service") { Description = "Service id or name" };
        var metric = new Option<string>("--metric") { Description = "total_called_times, failed_called_times, req_count_4xx, req_count_5xx, avg_latency, cpu_usage, mem_usage …", Required = true };
        var comparison = new Option<string>("--comparison") { Description = "> >= < <=", Required = true };
        comparison.AcceptOnlyFromAmong(">", ">=", "<", "<=");
        var threshold = new Option<double>("--threshold") { Description = "Counts per minute, ms for avg_latency, percent for cpu_usage/mem_usage", Required = true };
        var periods = new Option<int?>("--periods") { Description = "Consecutive minutes, 1-60 (default 1)" };
        var version = new Option<string?>("--version") { Description = "Watch one model version (A.B.C) instead of the whole service" };
        var name = new Option<string?>("--name") { Description = "Rule name (default generated)" };
        var create = new Command("create", "Create an alarm rule") { service, metric, comparison, threshold, periods, version, name };
        create.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var rule = await client.CreateAlarmAsync(id, new CreateAlarmRequest
            {
                Name = parseResult.GetValue(name),
                Metric = parseResult.GetValue(metric)!,
                Comparison = parseResult.GetValue(comparison)!,
                Threshold = parseResult.GetValue(threshold),
                Periods = parseResult.GetValue(periods),
                ModelVersion = parseResult.GetValue(version),
            }, ct);
            session.Emit(rule, r => AlarmTable([r]));
            return ExitCodes.Success;
        }, cancellationToken));

        var listService = new Argument<string>("service") { Description = "Service id or name" };
        var list = new Command("list", "List the alarm rules of a service with their state") { listService };
        list.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(listService)!, ct);
            var rules = await client.ListAlarmsAsync(id, ct);
            session.Emit(rules, r => AlarmTable(r.Alarms));
            return ExitCodes.Success;
        }, cancellationToken));

        var deleteService = new Argument<string>("service") { Description = "Service id or name" };
        var rule = new Argument<string>("alarm") { Description = "Alarm id or name" };
        var delete = new Command("delete", "Delete an alarm rule") { deleteService, rule };
        delete.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(deleteService)!, ct);
            var wanted = parseResult.GetValue(rule)!;
            var rules = await client.ListAlarmsAsync(id, ct);
            var match = rules.Alarms.FirstOrDefault(r => r.AlarmId == wanted) ?? rules.Alarms.FirstOrDefault(r => r.Name == wanted)
                ?? throw new CliException(ExitCodes.NotFound, $"service {rules.ServiceName} has no alarm rule {wanted}");
            await client.DeleteAlarmAsync(id, match.AlarmId, ct);
            session.Emit(new { alarm_id = match.AlarmId, deleted = true }, _ => new Text($"Deleted alarm rule {match.Name}."));
            return ExitCodes.Success;
        }, cancellationToken));

        alarm.Subcommands.Add(create);
        alarm.Subcommands.Add(list);
        alarm.Subcommands.Add(delete);
        return alarm;
    }

    private static async Task<string?> VersionIdAsync(InferaClient client, string serviceId, string? version, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        var detail = await client.GetServiceAsync(serviceId, ct);
        return detail.Config.FirstOrDefault(c => c.ModelVersion == version || c.ModelId == version)?.ModelId
            ?? throw new CliException(ExitCodes.NotFound, $"service {detail.ServiceName} has no model version {version}");
    }

    private static IRenderable LogTable(InstanceLogList page)
    {
        var table = Tables.Create("Time", "Instance", "Version", "Stream", "Line");
        foreach (var line in page.Logs)
        {
            Tables.Row(table, Tables.Time(line.Time), line.InstanceId.Length > 8 ? line.InstanceId[..8] : line.InstanceId, line.ModelVersion, line.Stream, line.Content);
        }

        table.Caption($"{page.Count} of {page.TotalCount} matching lines");
        return table;
    }

    private static Table MetricTable(IEnumerable<MetricPoint> points)
    {
        var table = Tables.Create("Minute", "Calls", "OK", "Failed", "2xx", "4xx", "5xx", "Avg ms", "CPU %", "Mem %", "Memory");
        foreach (var p in points)
        {
            Tables.Row(table, Tables.Time(p.Timestamp), Tables.Number(p.TotalCalledTimes), Tables.Number(p.SuccessfullyCalledTimes),
                Tables.Number(p.FailedCalledTimes), Tables.Number(p.ReqCount2xx), Tables.Number(p.ReqCount4xx), Tables.Number(p.ReqCount5xx),
                Decimal(p.AvgLatency), Decimal(p.CpuUsage), Decimal(p.MemUsage), Tables.Size(p.MemoryBytes));
        }

        return table;
    }

    private static Table AlarmTable(IEnumerable<AlarmRule> rules)
    {
        var table = Tables.Create("ID", "Name", "Version", "Condition", "Periods", "State", "Last value", "Changed");
        foreach (var r in rules)
        {
            Tables.Row(table, r.AlarmId, r.Name, r.ModelVersion ?? "(service)", $"{r.Metric} {r.Comparison} {r.Threshold.ToString(CultureInfo.InvariantCulture)}",
                Tables.Number(r.Periods), r.State, Decimal(r.LastValue), Tables.Time(r.StateChangedAt));
        }

        return table;
    }

    private static string Decimal(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? string.Empty;
}
