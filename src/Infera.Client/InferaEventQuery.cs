namespace Infera.Client;

/// <summary>Filters and paging of an event list. Every field is optional.</summary>
public sealed record InferaEventQuery
{
    /// <summary><c>normal</c> or <c>abnormal</c>.</summary>
    public string? EventType { get; init; }

    /// <summary>Text the event must contain (ASCII case ignored; none of <c>` ( ) { } ' ; , [ ] &lt; &gt; / ?</c>).</summary>
    public string? EventInfo { get; init; }

    /// <summary>Events at or after this time, ms since the Unix epoch.</summary>
    public long? StartTime { get; init; }

    /// <summary>Events at or before this time, ms since the Unix epoch.</summary>
    public long? EndTime { get; init; }

    /// <summary>Records to skip.</summary>
    public int? Offset { get; init; }

    /// <summary>Page size.</summary>
    public int? Limit { get; init; }

    /// <summary><c>asc</c> or <c>desc</c> by occurrence time.</summary>
    public string? Order { get; init; }
}
