namespace Infera.Server.Hosting.Health;

/// <summary>
/// Marks an <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck"/> of this assembly as part of
/// <c>/readyz</c> under <see cref="Name"/>; <see cref="InferaHealthChecks.AddInferaHealthChecks"/> finds it, so adding a
/// check is adding one class.
/// </summary>
/// <param name="name">Stable name shown in the <c>/readyz</c> body, lower-case with dashes.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReadinessCheckAttribute(string name) : Attribute
{
    /// <summary>The check's name.</summary>
    public string Name { get; } = name;
}
