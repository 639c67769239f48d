namespace Infera.Packaging;

/// <summary>Another accepted spelling of a property name.</summary>
internal sealed record FieldAlias(string Written, string Canonical, bool Warn, StringComparison Comparison = StringComparison.Ordinal);
