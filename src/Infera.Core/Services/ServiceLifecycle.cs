namespace Infera.Core.Services;

/// <summary>
/// A custom flavor (<c>config[].custom_spec</c>, spec §3.1): what one instance may use when
/// <c>specification</c> is <c>custom</c>.
/// </summary>
/// <param name="Cpu">vCPUs, ≥ 0.01, rounded to 2 decimals.</param>
/// <param name="MemoryMiB">Memory in MiB (the API's <c>memory</c>, "MB"), ≥ 1.</param>
/// <param name="GpuP4">P4 GPU cards, ≥ 0; only 0 runs on a node without GPUs.</param>
public sealed record CustomSpec(double Cpu, int MemoryMiB, double GpuP4);

/// <summary>
/// The auto-stop schedule of a real-time service (spec §3.1 Schedule; seed 003 §3.1.1 "是否自动停止": 1, 2, 4, 6 hours
/// or a custom 1–24 hours): the service stops <see cref="Duration"/> <see cref="TimeUnit"/> after it was started.
/// </summary>
/// <param name="Type">Always <c>stop</c>.</param>
/// <param name="TimeUnit"><c>HOURS</c>, <c>MINUTES</c> or <c>DAYS</c>.</param>
/// <param name="Duration">A whole number of units; in total 1–24 hours.</param>
public sealed record ServiceSchedule(string Type, string TimeUnit, int Duration)
{
    /// <summary>The only schedule type.</summary>
    public const string Stop = "stop";

    /// <summary>The length of the schedule.</summary>
    public TimeSpan Length => TimeUnit switch
    {
        "MINUTES" => TimeSpan.FromMinutes(Duration),
        "DAYS" => TimeSpan.FromDays(Duration),
        _ => TimeSpan.FromHours(Duration),
    };

    /// <summary>The length as the seed's auto-stop event words it, e.g. <c>4 hours</c>, <c>1 hour</c>, <c>90 minutes</c>.</summary>
    public string Describe()
    {
        var unit = TimeUnit switch { "MINUTES" => "minute", "DAYS" => "day", _ => "hour" };
        return Duration == 1 ? $"1 {unit}" : $"{Duration} {unit}s";
    }
}

/// <summary>A resource tag of a service (TMS style key/value; seed 003 §3.1.1 "标签").</summary>
/// <param name="Key">1–36 characters.</param>
/// <param name="Value">0–43 characters.</param>
public sealed record ServiceTag(string Key, string Value);
