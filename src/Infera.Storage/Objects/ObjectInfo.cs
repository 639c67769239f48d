namespace Infera.Storage.Objects;

/// <summary>An object's listing entry.</summary>
/// <param name="Key">Full key within the bucket.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">Last write, ms since the epoch.</param>
/// <param name="ETag">Hex MD5-free tag: size and write time, enough to detect change.</param>
public sealed record ObjectInfo(string Key, long Size, long LastModified, string ETag);
