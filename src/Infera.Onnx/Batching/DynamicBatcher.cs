using System.Threading.Channels;
using Infera.Onnx.Runtime;
using Infera.Onnx.Tensors;
using Infera.Packaging;
using Microsoft.Extensions.Logging;

namespace Infera.Onnx.Batching;

/// <summary>
/// Triton-style dynamic batching for one model: requests queue; one scheduler takes the first request and every queued
/// request that can share its run (same row shapes) up to <see cref="DynamicBatching.MaxBatchSize"/> rows, waits up to
/// <see cref="DynamicBatching.MaxQueueDelay"/> after the first request arrived for more while no preferred size (nor
/// the maximum) is reached, runs the stacked batch once and hands each caller its own rows. Batches run one at a time;
/// requests arriving meanwhile form the next batch. A request larger than the maximum runs alone.
/// </summary>
public sealed partial class DynamicBatcher : IAsyncDisposable
{
    // How many incompatible or oversized requests one batch may step over before it stops looking further.
    private const int MaxSkipped = 256;

    private readonly IModelRunner _runner;
    private readonly DynamicBatching _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly int _target;
    private long _executions;
    private long _rows;

    /// <summary>Starts the scheduler.</summary>
    /// <param name="runner">Runs stacked batches.</param>
    /// <param name="settings">Maximum size, preferred sizes and queue delay.</param>
    /// <param name="time">The clock for the queue delay.</param>
    /// <param name="logger">Logs failed runs.</param>
    public DynamicBatcher(IModelRunner runner, DynamicBatching settings, TimeProvider time, ILogger logger)
    {
        _runner = runner;
        _settings = settings;
        _time = time;
        _logger = logger;
        _target = settings.PreferredBatchSizes.Count > 0 ? settings.PreferredBatchSizes[^1] : settings.MaxBatchSize;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Model runs so far.</summary>
    public long Executions => Interlocked.Read(ref _executions);

    /// <summary>Rows run so far (the sum of the batches' sizes).</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Queues one request and returns its own outputs once its batch ran.</summary>
    /// <param name="inputs">The request's inputs in model order, all with <paramref name="rows"/> as first dimension.</param>
    /// <param name="rows">Its batch size.</param>
    /// <param name="cancellationToken">Abandons the wait (a queued request still runs with its batch; its rows are dropped).</param>
    /// <returns>Its outputs in model order, each with <paramref name="rows"/> rows.</returns>
    public Task<Tensor[]> InferAsync(Tensor[] inputs, long rows, CancellationToken cancellationToken)
    {
        var work = new Work(inputs, rows, _time.GetTimestamp());
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(work), this);

        return cancellationToken.CanBeCanceled ? work.Completion.Task.WaitAsync(cancellationToken) : work.Completion.Task;
    }

    /// <summary>Stops taking requests and waits for the queued ones to run.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        var carry = new Queue<Work>();
        var batch = new List<Work>();
        var skipped = new List<Work>();
        while (true)
        {
            if (carry.Count == 0 && !await _queue.Reader.WaitToReadAsync())
            {
                return;
            }

            if (!TryTake(carry, out var first))
            {
                continue;
            }

            batch.Clear();
            skipped.Clear();
            batch.Add(first);
            var rows = first.Rows;
            var deadline = first.Enqueued;
            while (true)
            {
                while (rows < _settings.MaxBatchSize && skipped.Count < MaxSkipped && TryTake(carry, out var next))
                {
                    if (rows + next.Rows > _settings.MaxBatchSize || !BatchAssembler.Compatible(first.Inputs, next.Inputs))
                    {
                        skipped.Add(next);
                        continue;
                    }

                    batch.Add(next);
                    rows += next.Rows;
                }

                var waited = _time.GetElapsedTime(deadline);
                if (rows >= _target || rows >= _settings.MaxBatchSize || skipped.Count >= MaxSkipped || waited >= _settings.MaxQueueDelay)
                {
                    break;
                }

                if (!await WaitForMoreAsync(_settings.MaxQueueDelay - waited))
                {
                    break;
                }
            }

            // Requests stepped over go first next time, in their order, before anything still in the carry.
            if (skipped.Count > 0)
            {
                var rest = carry.ToList();
                carry.Clear();
                foreach (var work in skipped.Concat(rest))
                {
                    carry.Enqueue(work);
                }
            }

            Run(batch);
        }
    }

    private bool TryTake(Queue<Work> carry, out Work work) => carry.TryDequeue(out work!) || _queue.Reader.TryRead(out work!);

    // True when a request arrived within the wait, false when the wait ran out (or the queue closed).
    private async Task<bool> WaitForMoreAsync(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(wait, _time);
        try
        {
            return await _queue.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Run(List<Work> batch)
    {
        try
        {
            var inputs = BatchAssembler.Stack([.. batch.Select(w => (IReadOnlyList<Tensor>)w.Inputs)]);
            var outputs = _runner.Run(inputs);
            Interlocked.Increment(ref _executions);
            Interlocked.Add(ref _rows, batch.Sum(w => w.Rows));
            var parts = BatchAssembler.Split(outputs, [.. batch.Select(w => w.Rows)]);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(parts[i]);
            }
        }
        catch (Exception e)
        {
            LogBatchFailed(_logger, batch.Count, e);
            foreach (var work in batch)
            {
                work.Completion.TrySetException(e);
            }
        }
    }

    [LoggerMessage(EventId = 1, EventName = "BatchFailed", Level = LogLevel.Error, Message = "A batch of {Requests} requests failed.")]
    private static partial void LogBatchFailed(ILogger logger, int requests, Exception exception);

    private sealed class Work(Tensor[] inputs, long rows, long enqueued)
    {
        public Tensor[] Inputs { get; } = inputs;

        public long Rows { get; } = rows;

        public long Enqueued { get; } = enqueued;

        public TaskCompletionSource<Tensor[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
