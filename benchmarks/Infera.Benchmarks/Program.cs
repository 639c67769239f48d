using System.Globalization;
using Infera.Benchmarks;

// `batch [csv-rows] [images]`: batch-service throughput (issue #4); `onnx [options]`: the ONNX engine against the Python
// runtime and dynamic batching (issue #16); anything else: the gateway-overhead benchmark.
if (args.Length > 0 && args[0] == "onnx")
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await new OnnxEngineBenchmark(Console.Out, OnnxEngineBenchmark.Settings.Parse(args[1..])).RunAsync(stop.Token);
}

if (args.Length > 0 && args[0] == "batch")
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
    var images = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
    return await new BatchThroughputBenchmark(Console.Out, rows, images).RunAsync(stop.Token);
}

var (options, errors, help) = BenchmarkOptions.Parse(args);
if (help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

if (options is null)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    return await new GatewayOverheadBenchmark(options, Console.Out).RunAsync(cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
