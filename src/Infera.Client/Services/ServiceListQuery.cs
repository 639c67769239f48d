namespace Infera.Client.Services;

/// <summary>Filters and paging of the service list. Every field is optional.</summary>
public sealed record ServiceListQuery
{
    /// <summary>Exact service id.</summary>
    public string? ServiceId { get; init; }

    /// <summary>Name filter (substring match on this server).</summary>
    public string? ServiceName { get; init; }

    /// <summary>Services that use this model.</summary>
    public string? ModelId { get; init; }

    /// <summary>Status filter.</summary>
    public string? Status { get; init; }

    /// <summary><c>real-time</c> or <c>batch</c>.</summary>
    public string? InferType { get; init; }

    /// <summary>Records to skip.</summary>
    public int? Offset { get; init; }

    /// <summary>Page size (server default 1000).</summary>
    public int? Limit { get; init; }

    /// <summary><c>publish_at</c>, <c>service_name</c> or <c>transition_at</c>.</summary>
    public string? SortBy { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? Order { get; init; }
}
