namespace Infera.Core.Events;

/// <summary>One event of a model or service (seed 003 §2.6, §3.5).</summary>
/// <param name="ResourceId">The model or service id.</param>
/// <param name="EventType"><c>normal</c> or <c>abnormal</c>.</param>
/// <param name="EventInfo">The English message.</param>
/// <param name="OccurTime">When, in ms since the epoch.</param>
public sealed record EventRecord(string ResourceId, string EventType, string EventInfo, long OccurTime)
{
    /// <summary>A normal event.</summary>
    public const string Normal = "normal";

    /// <summary>An abnormal event.</summary>
    public const string Abnormal = "abnormal";
}
