namespace Infera.Benchmarks.Load;

/// <summary>Where one run sends its requests: a name for the report, the URL, and the token when the target wants one.</summary>
internal sealed record LoadTarget(string Name, Uri Uri, string? Token);
