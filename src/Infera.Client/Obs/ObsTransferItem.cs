namespace Infera.Client.Obs;

/// <summary>One file of a folder upload or prefix download: where it is locally and which key it maps to.</summary>
/// <param name="LocalPath">The full local file path.</param>
/// <param name="Key">The object key.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record ObsTransferItem(string LocalPath, string Key, long Size);
