namespace Infera.Gateway.Routing;

/// <summary>A ready instance the gateway may send requests to.</summary>
/// <param name="InstanceId">Instance id.</param>
/// <param name="ModelId">Model version it runs.</param>
/// <param name="BaseUri">e.g. <c>http://127.0.0.1:41234</c>, no trailing slash.</param>
public sealed record InstanceEndpoint(string InstanceId, string ModelId, string BaseUri);
