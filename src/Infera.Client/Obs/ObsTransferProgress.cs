namespace Infera.Client.Obs;

/// <summary>Progress of a folder upload or a prefix download, reported after each file.</summary>
/// <param name="FilesDone">Files finished so far.</param>
/// <param name="FilesTotal">Files in the transfer.</param>
/// <param name="BytesDone">Bytes of the finished files.</param>
/// <param name="BytesTotal">Bytes in the transfer.</param>
/// <param name="CurrentKey">The key of the file just finished.</param>
public sealed record ObsTransferProgress(int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, string CurrentKey);
