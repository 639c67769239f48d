using System.Globalization;
using Infera.Onnx.Batching;
using Infera.Onnx.Tensors;
using Infera.Packaging;
using Microsoft.Extensions.Logging;

namespace Infera.Onnx.Runtime;

/// <summary>
/// Runs bound requests on a model: through the <see cref="DynamicBatcher"/> when the model's config asks for dynamic
/// batching and the model has a dynamic batch dimension, else one run per request on the caller's thread. Counts
/// inferences (rows) and executions (runs) like Triton's statistics.
/// </summary>
public sealed class InferenceEngine : IAsyncDisposable
{
    private readonly IModelRunner _runner;
    private readonly DynamicBatcher? _batcher;
    private readonly int _maxBatchSize;
    private long _inferences;
    private long _requests;
    private long _directExecutions;

    /// <summary>Creates the engine (and starts the batcher when batching is on).</summary>
    /// <param name="runner">Runs the model.</param>
    /// <param name="signature">The model's tensors.</param>
    /// <param name="batching">The config's <c>dynamic_batching</c>, or null.</param>
    /// <param name="time">The batcher's clock.</param>
    /// <param name="logger">The batcher's logger.</param>
    public InferenceEngine(IModelRunner runner, ModelSignature signature, DynamicBatching? batching, TimeProvider time, ILogger logger)
    {
        _runner = runner;
        Signature = signature;
        if (batching is null)
        {
            BatchingState = "off (no dynamic_batching in config.json)";
        }
        else if (signature.BatchingProblem is { } problem)
        {
            BatchingState = $"off: {problem}";
        }
        else
        {
            _batcher = new DynamicBatcher(runner, batching, time, logger);
            _maxBatchSize = batching.MaxBatchSize;
            BatchingState = string.Create(CultureInfo.InvariantCulture,
                $"on (max_batch_size {batching.MaxBatchSize}, preferred_batch_size [{string.Join(",", batching.PreferredBatchSizes)}], max_queue_delay_microseconds {batching.MaxQueueDelayMicroseconds})");
        }
    }

    /// <summary>The model's tensors.</summary>
    public ModelSignature Signature { get; }

    /// <summary>Whether requests are batched.</summary>
    public bool Batching => _batcher is not null;

    /// <summary>"on (…)" or "off: why", for the log and the statistics.</summary>
    public string BatchingState { get; }

    /// <summary>Rows inferred so far (Triton's <c>inference_count</c>).</summary>
    public long InferenceCount => Interlocked.Read(ref _inferences);

    /// <summary>Requests answered so far.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Model runs so far (Triton's <c>execution_count</c>); below <see cref="RequestCount"/> when batches formed.</summary>
    public long ExecutionCount => Interlocked.Read(ref _directExecutions) + (_batcher?.Executions ?? 0);

    /// <summary>Runs one request.</summary>
    /// <param name="bound">Inputs from <see cref="ModelSignature.Bind"/>.</param>
    /// <param name="cancellationToken">The caller went away.</param>
    /// <returns>Every output in model order, with the request's rows.</returns>
    public async Task<IReadOnlyList<Tensor>> InferAsync(Tensor[] bound, CancellationToken cancellationToken)
    {
        var rows = Signature.Rows(bound);
        IReadOnlyList<Tensor> outputs;
        if (_batcher is not null && rows <= _maxBatchSize)
        {
            outputs = await _batcher.InferAsync(bound, rows, cancellationToken);
        }
        else
        {
            outputs = _runner.Run(bound);
            Interlocked.Increment(ref _directExecutions);
        }

        Interlocked.Add(ref _inferences, rows);
        Interlocked.Increment(ref _requests);
        return outputs;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_batcher is not null)
        {
            await _batcher.DisposeAsync();
        }
    }
}
