using System.Collections.Concurrent;
using Infera.Onnx.Batching;
using Infera.Onnx.Runtime;
using Infera.Onnx.Tensors;
using Infera.Packaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Infera.Onnx.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Infer_ManyConcurrentCallers_EachGetsItsOwnRowsFromFewRuns()
    {
        var runner = new ScalingRunner { Gate = new SemaphoreSlim(0) };
        await using var batcher = new DynamicBatcher(runner, new DynamicBatching(32, [], 0), TimeProvider.System, NullLogger.Instance);

        // The first request blocks inside the model; the 63 sent meanwhile queue and must share the next runs.
        var first = batcher.InferAsync([Row(0)], 1, default);
        await runner.Entered.WaitAsync(Limit);
        var rest = Enumerable.Range(1, 63).Select(i => (Id: i, Task: batcher.InferAsync(i % 3 == 0 ? [Rows(i, 2)] : [Row(i)], i % 3 == 0 ? 2 : 1, default))).ToList();
        runner.Gate.Release(100);

        var firstResult = await first.WaitAsync(Limit);
        Assert.Equal(new[] { 1f }, TestTensors.AsFloats(firstResult[0]));
        foreach (var (id, task) in rest)
        {
            var expected = id % 3 == 0 ? new[] { id * 10f, (id * 10f) + 1 } : [id * 10f];
            var result = await task.WaitAsync(Limit);
            Assert.Equal(expected.Select(v => v + 1), TestTensors.AsFloats(result[0]));
        }

        // 1 + 84 rows after the first: three runs of at most 32.
        Assert.Equal(4, batcher.Executions);
        Assert.Equal(85, batcher.Rows);
        Assert.All(runner.BatchSizes.Skip(1), size => Assert.True(size <= 32));
    }

    [Fact]
    public async Task Infer_PreferredSizeReached_RunsWithoutWaitingForTheDelay()
    {
        var runner = new ScalingRunner();
        await using var batcher = new DynamicBatcher(runner, new DynamicBatching(8, [4], 10_000_000), TimeProvider.System, NullLogger.Instance);

        var tasks = Enumerable.Range(0, 4).Select(i => batcher.InferAsync([Row(i)], 1, default)).ToList();

        await Task.WhenAll(tasks).WaitAsync(Limit);
        Assert.Equal(1, batcher.Executions);
        Assert.Equal([4], runner.BatchSizes);
    }

    [Fact]
    public async Task Infer_DelayRunsOut_RunsWhatItHas()
    {
        var runner = new ScalingRunner();
        await using var batcher = new DynamicBatcher(runner, new DynamicBatching(8, [], 1000), TimeProvider.System, NullLogger.Instance);

        var result = await batcher.InferAsync([Row(5)], 1, default).WaitAsync(Limit);

        Assert.Equal([51f], TestTensors.AsFloats(result[0]));
    }

    [Fact]
    public async Task Infer_DifferentRowShapes_AreNotStackedTogether()
    {
        var runner = new ScalingRunner { Gate = new SemaphoreSlim(0) };
        await using var batcher = new DynamicBatcher(runner, new DynamicBatching(8, [], 0), TimeProvider.System, NullLogger.Instance);

        var first = batcher.InferAsync([Row(1)], 1, default);
        await runner.Entered.WaitAsync(Limit);
        var wide = batcher.InferAsync([TestTensors.Floats("x", [1, 2], 7, 8)], 1, default);
        var narrow = batcher.InferAsync([Row(2)], 1, default);
        runner.Gate.Release(100);

        var wideResult = await wide.WaitAsync(Limit);
        var narrowResult = await narrow.WaitAsync(Limit);
        Assert.Equal(new[] { 8f, 9f }, TestTensors.AsFloats(wideResult[0]));
        Assert.Equal(new[] { 21f }, TestTensors.AsFloats(narrowResult[0]));
        await first.WaitAsync(Limit);
        Assert.Equal(3, batcher.Executions);
    }

    [Fact]
    public async Task Infer_RunFails_EveryCallerInTheBatchGetsTheError()
    {
        var runner = new ScalingRunner { Fail = true };
        await using var batcher = new DynamicBatcher(runner, new DynamicBatching(8, [], 0), TimeProvider.System, NullLogger.Instance);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.InferAsync([Row(1)], 1, default).WaitAsync(Limit));

        Assert.Equal("model broke", e.Message);
    }

    [Fact]
    public async Task Engine_RequestLargerThanMaxBatch_RunsAlone()
    {
        var runner = new ScalingRunner();
        var signature = new ModelSignature([new("x", "FP32", [-1, 1])], [new("y", "FP32", [-1, 1])]);
        await using var engine = new InferenceEngine(runner, signature, new DynamicBatching(2, [], 0), TimeProvider.System, NullLogger.Instance);

        var outputs = await engine.InferAsync(signature.Bind([TestTensors.Floats("x", [3, 1], 1, 2, 3)]), default).WaitAsync(Limit);

        Assert.True(engine.Batching);
        Assert.Equal([2f, 3f, 4f], TestTensors.AsFloats(outputs[0]));
        Assert.Equal(1, engine.ExecutionCount);
        Assert.Equal(3, engine.InferenceCount);
    }

    [Fact]
    public async Task Engine_ModelWithoutBatchDimension_TurnsBatchingOff()
    {
        var signature = new ModelSignature([new("x", "FP32", [1, 1])], [new("y", "FP32", [1, 1])]);
        await using var engine = new InferenceEngine(new ScalingRunner(), signature, new DynamicBatching(8, [], 0), TimeProvider.System, NullLogger.Instance);

        Assert.False(engine.Batching);
        Assert.Equal("off: input x FP32 [1,1] has no dynamic first (batch) dimension", engine.BatchingState);
    }

    private static Tensor Row(int id) => TestTensors.Floats("x", [1, 1], id * 10f);

    private static Tensor Rows(int id, int count) => TestTensors.Floats("x", [count, 1], [.. Enumerable.Range(0, count).Select(k => (id * 10f) + k)]);

    // y = x + 1, element by element; records each run's batch size; the first run can be held at a gate.
    private sealed class ScalingRunner : IModelRunner
    {
        private int _runs;

        public SemaphoreSlim? Gate { get; init; }

        public SemaphoreSlim Entered { get; } = new(0);

        public bool Fail { get; init; }

        public ConcurrentQueue<long> BatchSizes { get; } = new();

        public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs)
        {
            if (Interlocked.Increment(ref _runs) == 1 && Gate is not null)
            {
                Entered.Release();
                Gate.Wait(Limit);
            }

            if (Fail)
            {
                throw new InvalidOperationException("model broke");
            }

            BatchSizes.Enqueue(inputs[0].Shape[0]);
            var values = TestTensors.AsFloats(inputs[0]).Select(v => v + 1).ToArray();
            return [TestTensors.Floats("y", inputs[0].Shape, values)];
        }
    }
}
