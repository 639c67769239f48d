using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Onnx.Protocol;
using Infera.Onnx.Runtime;
using Infera.Packaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Onnx.Hosting;

/// <summary>
/// The ONNX worker process: <c>--inspect &lt;file.onnx&gt;</c> prints the model's tensors as JSON (used at import so that
/// the server never loads ONNX Runtime); without arguments it serves the model in <c>MODEL_PATH</c> on
/// <c>127.0.0.1:$INFERA_PORT</c> until SIGTERM. Exit codes and the last stderr line follow the Python worker's
/// contract (<c>runtimes/README.md</c>).
/// </summary>
public static partial class WorkerApp
{
    /// <summary>Exit code: a bad environment or command line.</summary>
    public const int BadEnvironment = 2;

    /// <summary>Exit code: the package or model cannot be loaded.</summary>
    public const int LoadFailed = 3;

    /// <summary>Exit code: the port cannot be bound.</summary>
    public const int BindFailed = 4;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the worker.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--inspect", var file])
        {
            return Inspect(file, Console.Out, Console.Error);
        }

        if (args.Length > 0)
        {
            return Fail("usage: Infera.Onnx.Worker [--inspect <model.onnx>] (serving reads INFERA_PORT and MODEL_PATH)", BadEnvironment);
        }

        var settings = WorkerSettings.Read(Environment.GetEnvironmentVariable, out var problem);
        if (settings is null)
        {
            return Fail($"infera-onnx-worker: {problem}", BadEnvironment);
        }

        var inspection = ModelPackageInspector.Inspect(settings.ModelPath);
        if (!inspection.IsValid || inspection.Config is not { IsOnnx: true } config || inspection.ModelFile is not { } modelFile)
        {
            var errors = inspection.Errors.Count > 0 ? string.Join("; ", inspection.Errors) : "config.json does not declare model_type ONNX";
            return Fail($"infera-onnx-worker: invalid ONNX package in {settings.ModelPath}: {errors}", LoadFailed);
        }

        OnnxModel model;
        try
        {
            model = OnnxModel.Load(modelFile, settings.Model);
        }
        catch (OnnxLoadException e)
        {
            return Fail($"infera-onnx-worker: failed to load {Path.GetFileName(modelFile)}: {e.Message}", LoadFailed);
        }

        using (model)
        {
            var signature = new ModelSignature(model.Inputs, model.Outputs);
            PredictAnalysisCodec codec;
            try
            {
                codec = new PredictAnalysisCodec(signature, config.FeatureOrder);
            }
            catch (OnnxLoadException e)
            {
                return Fail($"infera-onnx-worker: {e.Message}", LoadFailed);
            }

            return await ServeAsync(settings, model, signature, codec, config);
        }
    }

    /// <summary>Writes the model's tensors as JSON: <c>{"inputs": [...], "outputs": [...], "producer_name", "graph_name"}</c>.</summary>
    /// <param name="file">The <c>.onnx</c> file.</param>
    /// <param name="output">Receives the JSON.</param>
    /// <param name="error">Receives the failure line.</param>
    /// <returns>0, or <see cref="LoadFailed"/> when the file is not a servable ONNX model.</returns>
    public static int Inspect(string file, TextWriter output, TextWriter error)
    {
        try
        {
            using var model = OnnxModel.Load(file, new OnnxModelOptions());
            var description = new JsonObject
            {
                ["inputs"] = TensorSpec.ToJson(model.Inputs),
                ["outputs"] = TensorSpec.ToJson(model.Outputs),
                ["producer_name"] = model.ProducerName,
                ["graph_name"] = model.GraphName,
            };
            output.WriteLine(description.ToJsonString(s_indented));
            return 0;
        }
        catch (OnnxLoadException e)
        {
            error.WriteLine($"infera-onnx-worker: {e.Message}");
            return LoadFailed;
        }
    }

    private static async Task<int> ServeAsync(WorkerSettings settings, OnnxModel model, ModelSignature signature, PredictAnalysisCodec codec, ModelConfig config)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, settings.Port);
            kestrel.Limits.MaxRequestBodySize = WorkerEndpoints.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = false;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.StopGrace);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(codec);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new InferenceEngine(model, signature, config.DynamicBatching, TimeProvider.System, sp.GetRequiredService<ILogger<InferenceEngine>>()));
        if (settings.ParentPid is { } parent)
        {
            builder.Services.AddHostedService(_ => new ParentWatchdog(parent, TimeProvider.System, (line, code) =>
            {
                Console.Error.WriteLine(line);
                Environment.Exit(code);
            }));
        }

        await using var app = builder.Build();
        app.MapWorkerEndpoints();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Infera.Onnx.Worker");
        var engine = app.Services.GetRequiredService<InferenceEngine>();
        LogLoaded(logger, Path.GetFileName(model.Path), string.Join(", ", signature.Inputs.Select(i => i.Describe())), string.Join(", ", signature.Outputs.Select(o => o.Describe())),
            settings.Model.Device, engine.BatchingState);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            return Fail($"infera-onnx-worker: cannot listen on 127.0.0.1:{settings.Port.ToString(CultureInfo.InvariantCulture)}: {e.Message}", BindFailed);
        }

        LogListening(logger, settings.Port, settings.ModelName, settings.ModelVersion);
        await app.WaitForShutdownAsync();
        await engine.DisposeAsync();
        LogStopped(logger);
        return 0;
    }

    // The summary is the last line on stderr, written directly (the console logger writes on a background thread).
    private static int Fail(string line, int code)
    {
        Console.Out.Flush();
        Console.Error.WriteLine(line.ReplaceLineEndings(" "));
        return code;
    }

    [LoggerMessage(EventId = 1, EventName = "ModelLoaded", Level = LogLevel.Information,
        Message = "Loaded {File}: inputs {Inputs}; outputs {Outputs}; device {Device}; dynamic batching {Batching}")]
    private static partial void LogLoaded(ILogger logger, string file, string inputs, string outputs, string device, string batching);

    [LoggerMessage(EventId = 2, EventName = "Listening", Level = LogLevel.Information,
        Message = "Listening on 127.0.0.1:{Port} (v2 model '{Name}' version '{Version}')")]
    private static partial void LogListening(ILogger logger, int port, string name, string version);

    [LoggerMessage(EventId = 3, EventName = "Stopped", Level = LogLevel.Information, Message = "stopped")]
    private static partial void LogStopped(ILogger logger);
}
