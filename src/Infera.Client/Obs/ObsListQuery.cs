namespace Infera.Client.Obs;

/// <summary>Query of one object-listing page.</summary>
public sealed record ObsListQuery
{
    /// <summary>Only keys starting with this prefix.</summary>
    public string? Prefix { get; init; }

    /// <summary>Rolls keys up to the next occurrence of this delimiter (usually <c>/</c>) into <see cref="ObsObjectList.CommonPrefixes"/>.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Start after this key (from <see cref="ObsObjectList.NextMarker"/>).</summary>
    public string? Marker { get; init; }

    /// <summary>Page size; the server defaults to 1000.</summary>
    public int? Limit { get; init; }
}
