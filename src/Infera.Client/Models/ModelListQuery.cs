namespace Infera.Client.Models;

/// <summary>Filters and paging of the model list. Every field is optional.</summary>
public sealed record ModelListQuery
{
    /// <summary>Name filter (substring, unless <see cref="ExactMatch"/>).</summary>
    public string? ModelName { get; init; }

    /// <summary>Makes <see cref="ModelName"/> match literally (no <c>_</c> wildcard).</summary>
    public bool? ExactMatch { get; init; }

    /// <summary>Version filter.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Status filter.</summary>
    public string? ModelStatus { get; init; }

    /// <summary>Engine type filter.</summary>
    public string? ModelType { get; init; }

    /// <summary>Records to skip.</summary>
    public int? Offset { get; init; }

    /// <summary>Page size (server default 1000).</summary>
    public int? Limit { get; init; }

    /// <summary><c>create_at</c>, <c>model_version</c> or <c>model_size</c>.</summary>
    public string? SortBy { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; init; }
}
