namespace Infera.Packaging;

/// <summary>
/// The <c>health</c> object of config.json (seed 003 table 4-8). ModelArts sends the numbers as strings; both
/// forms are read. All durations are in whole seconds.
/// </summary>
/// <param name="CheckMethod"><c>HTTP</c> (request <see cref="Url"/>) or <c>EXEC</c> (run <see cref="Command"/>).</param>
/// <param name="Url">The probe path starting with <c>/</c>; required for HTTP, null otherwise when absent.</param>
/// <param name="Command">The probe command; required for EXEC, null otherwise when absent.</param>
/// <param name="Protocol"><c>http</c> or <c>https</c> in lower case; defaults to <c>http</c> for HTTP probes.</param>
/// <param name="InitialDelaySeconds">Delay before the first probe, 0..2147483647, or null when absent.</param>
/// <param name="TimeoutSeconds">Probe timeout, 0..2147483647, or null when absent.</param>
/// <param name="PeriodSeconds">Probe period, 1..2147483647 (required).</param>
/// <param name="FailureThreshold">Consecutive failures before the instance is unhealthy, 1..2147483647 (required).</param>
public sealed record HealthCheck(
    string CheckMethod,
    string? Url,
    string? Command,
    string? Protocol,
    int? InitialDelaySeconds,
    int? TimeoutSeconds,
    int PeriodSeconds,
    int FailureThreshold)
{
    /// <summary>The <c>check_method</c> value for HTTP probes.</summary>
    public const string Http = "HTTP";

    /// <summary>The <c>check_method</c> value for command probes.</summary>
    public const string Exec = "EXEC";
}
