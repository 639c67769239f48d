using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Infera.Core.Errors;
using Infera.Core.Services;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// Checks the body of <c>POST /v1/{project_id}/services/{service_id}/alarms</c>:
/// <c>{"name"?, "metric", "comparison", "threshold", "periods"?, "model_id"? | "model_version"?}</c>.
/// <c>metric</c> is one of <see cref="MetricValues.All"/>; <c>comparison</c> one of <c>&gt; &gt;= &lt; &lt;=</c>;
/// <c>threshold</c> a finite number (counts per minute, ms for <c>avg_latency</c>, percent for <c>cpu_usage</c> and
/// <c>mem_usage</c>); <c>periods</c> 1–60 consecutive minutes (default 1); <c>model_id</c> or <c>model_version</c>
/// (a version of the service) narrows the rule to one version; <c>name</c> 1–64 letters, digits, <c>-</c>,
/// <c>_</c> (default <c>alarm-</c> and 8 characters of the id).
/// </summary>
public static partial class AlarmRequest
{
    private static readonly string[] Comparisons = [">", ">=", "<", "<="];

    /// <summary>The rule to store.</summary>
    /// <exception cref="InferaException">400 ModelArts.3036 for a missing field, 400 ModelArts.3037 for an invalid one.</exception>
    public static AlarmStore.AlarmRule Validate(JsonObject body, ServiceRecord service, ModelStore models, string id, long now)
    {
        var metric = Text(body, "metric") ?? throw Errors.Missing("metric");
        if (!MetricValues.All.Contains(metric))
        {
            throw Errors.InvalidParameter("metric", metric, $"use one of {string.Join(", ", MetricValues.All)}.");
        }

        var comparison = Text(body, "comparison") ?? throw Errors.Missing("comparison");
        if (!Comparisons.Contains(comparison))
        {
            throw Errors.InvalidParameter("comparison", comparison, "use >, >=, < or <=.");
        }

        var threshold = Number(body, "threshold") ?? throw Errors.Missing("threshold");
        var periods = Number(body, "periods") ?? 1;
        if (periods is < 1 or > 60 || periods != Math.Floor(periods))
        {
            throw Errors.InvalidParameter("periods", periods.ToString(CultureInfo.InvariantCulture), "a whole number of minutes from 1 to 60.");
        }

        var name = Text(body, "name") ?? "alarm-" + id[..8];
        if (!NamePattern().IsMatch(name))
        {
            throw Errors.InvalidParameter("name", name, "1-64 letters, digits, - or _.");
        }

        var modelId = Text(body, "model_id") is null && Text(body, "model_version") is null
            ? null
            : Services.TrafficValidator.ResolveVersion("", Text(body, "model_id"), Text(body, "model_version"), service.Config, models.FindAny);

        return new AlarmStore.AlarmRule(id, service.ProjectId, service.Id, modelId, name, metric, comparison, threshold, (long)periods, now,
            AlarmEvaluator.Ok, 0, 0, null);
    }

    private static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw Errors.InvalidParameter(name, other.ToJsonString(), "must be a string."),
    };

    // Numbers may come as strings ("5"), as elsewhere in the API.
    private static double? Number(JsonObject body, string name)
    {
        var node = body[name];
        if (node is null)
        {
            return null;
        }

        double value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            value = v.GetValue<double>();
        }
        else if (node is JsonValue s && s.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw Errors.InvalidParameter(name, node.ToJsonString(), "must be a number.");
        }

        return double.IsFinite(value) ? value : throw Errors.InvalidParameter(name, node.ToJsonString(), "must be a finite number.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
