namespace Infera.Packaging;

/// <summary>
/// The <c>dynamic_batching</c> object of an ONNX model's config.json, after Triton's <c>dynamic_batching</c>: the
/// instance stacks concurrent requests along the batch (first) dimension, runs the model once and splits the answer.
/// </summary>
/// <param name="MaxBatchSize">
/// <c>max_batch_size</c>: most rows in one run, 1..65536 (default <see cref="OnnxEngine.DefaultMaxBatchSize"/>). Triton
/// puts it at the root of its model config; Infera keeps the three settings together. A single request with more rows
/// runs alone.
/// </param>
/// <param name="PreferredBatchSizes">
/// <c>preferred_batch_size</c>: batch sizes to run as soon as they are reached, ascending, each 1..max_batch_size
/// (a number or an array); empty = run whatever is queued, up to <paramref name="MaxBatchSize"/>.
/// </param>
/// <param name="MaxQueueDelayMicroseconds">
/// <c>max_queue_delay_microseconds</c>: how long the first request of a batch may wait for more before the batch runs
/// anyway, 0..10,000,000 (default 0: a batch takes what queued while the previous one ran).
/// </param>
public sealed record DynamicBatching(int MaxBatchSize, IReadOnlyList<int> PreferredBatchSizes, long MaxQueueDelayMicroseconds)
{
    /// <summary>The queue delay as a duration.</summary>
    public TimeSpan MaxQueueDelay => TimeSpan.FromMicroseconds(MaxQueueDelayMicroseconds);
}
