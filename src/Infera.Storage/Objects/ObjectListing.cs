namespace Infera.Storage.Objects;

/// <summary>One page of a bucket listing (S3-style, keys in ordinal order).</summary>
/// <param name="Objects">Objects on this page.</param>
/// <param name="CommonPrefixes">With a delimiter: the "folders" directly under the prefix.</param>
/// <param name="NextMarker">Pass as <c>marker</c> to get the next page; null on the last page.</param>
public sealed record ObjectListing(IReadOnlyList<ObjectInfo> Objects, IReadOnlyList<string> CommonPrefixes, string? NextMarker);
