using System.Globalization;
using Infera.Core.Errors;
using Infera.Core.Events;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// The query of <c>GET …/services/{id}/events</c> and <c>GET …/models/{id}/events</c> (spec §3.6): <c>event_type</c>
/// (<c>normal</c> or <c>abnormal</c>), <c>event_info</c> (text the event must contain, ASCII case ignored; none of
/// <c>` ( ) { } ' ; , [ ] &lt; &gt; / ?</c>, as ModelArts refuses them), <c>start_time</c>/<c>end_time</c> (ms,
/// inclusive), <c>offset</c> (≥ 0, default 0), <c>limit</c> (1–1000, default 1000), <c>sort_by</c> (only
/// <c>occur_time</c>), <c>order</c> (<c>asc</c> or <c>desc</c>, default desc).
/// </summary>
/// <param name="EventType">normal/abnormal or null.</param>
/// <param name="EventInfo">Text filter or null.</param>
/// <param name="StartTime">Lower bound (ms) or null.</param>
/// <param name="EndTime">Upper bound (ms) or null.</param>
/// <param name="Offset">Events skipped.</param>
/// <param name="Limit">Most events returned.</param>
/// <param name="Ascending">Oldest first.</param>
public sealed record EventQuery(string? EventType, string? EventInfo, long? StartTime, long? EndTime, int Offset, int Limit, bool Ascending)
{
    private const string ForbiddenInfoCharacters = "`(){}';,[]<>/?";
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create(ForbiddenInfoCharacters);

    /// <summary>Checks the query parameters.</summary>
    /// <exception cref="InferaException">400 ModelArts.3037 naming the first invalid parameter.</exception>
    public static EventQuery Parse(string? eventType, string? eventInfo, long? startTime, long? endTime, int? offset, int? limit, string? sortBy, string? order)
    {
        if (!string.IsNullOrEmpty(eventType) && eventType is not (EventRecord.Normal or EventRecord.Abnormal))
        {
            throw Errors.InvalidParameter("event_type", eventType, "use normal or abnormal.");
        }

        if (!string.IsNullOrEmpty(eventInfo) && eventInfo.AsSpan().IndexOfAny(Forbidden) is var at and >= 0)
        {
            throw Errors.InvalidParameter("event_info", eventInfo, $"the character {eventInfo[at]} is not allowed (none of {ForbiddenInfoCharacters}).");
        }

        if (startTime is { } s && endTime is { } e && s > e)
        {
            throw Errors.InvalidParameter("start_time", s.ToString(CultureInfo.InvariantCulture), "start_time must not be after end_time.");
        }

        if (offset is < 0)
        {
            throw Errors.InvalidParameter("offset", offset.Value.ToString(CultureInfo.InvariantCulture), "must be 0 or more.");
        }

        if (limit is < 1 or > 1000)
        {
            throw Errors.InvalidParameter("limit", limit.Value.ToString(CultureInfo.InvariantCulture), "must be between 1 and 1000.");
        }

        if (!string.IsNullOrEmpty(sortBy) && sortBy != "occur_time")
        {
            throw Errors.InvalidParameter("sort_by", sortBy, "events sort by occur_time only.");
        }

        var ascending = string.Equals(order, "asc", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(order) && !ascending && !string.Equals(order, "desc", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidParameter("order", order, "use asc or desc.");
        }

        return new EventQuery(string.IsNullOrEmpty(eventType) ? null : eventType, string.IsNullOrEmpty(eventInfo) ? null : eventInfo,
            startTime, endTime, offset ?? 0, limit ?? 1000, ascending);
    }

    /// <summary>Runs the query for one model or service.</summary>
    public (IReadOnlyList<EventRecord> Page, int Total) Run(EventStore events, string resourceId) =>
        events.List(resourceId, EventType, StartTime, EndTime, Offset, Limit, Ascending, EventInfo);
}
