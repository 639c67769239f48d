using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Infera.Onnx.Protocol;
using Infera.Onnx.Runtime;
using Infera.Onnx.Tensors;
using Infera.Packaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infera.Onnx.Hosting;

/// <summary>
/// The worker's HTTP surface: <c>GET /health</c>; the Open Inference Protocol (KServe v2) health, server and model
/// metadata, readiness, statistics and <c>infer</c> routes (JSON and binary tensors); and <c>POST /</c> in the ModelArts
/// predict-analysis shape. v2 errors are <c>{"error": "…"}</c> as the protocol says, ModelArts-shape errors
/// <c>{"error_code", "error_msg"}</c>.
/// </summary>
public static partial class WorkerEndpoints
{
    /// <summary>The largest request body accepted directly (64 MiB; the gateway allows 12 MB).</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    /// <summary>The platform reported in model metadata.</summary>
    public const string Platform = "onnxruntime_onnx";

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Maps every route.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IEndpointRouteBuilder MapWorkerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/health", ["GET", "HEAD"], context => WriteJsonAsync(context, 200, w => w.WriteString("status", "OK")));
        app.MapGet("/v2/health/live", context => WriteJsonAsync(context, 200, w => w.WriteBoolean("live", true)));
        app.MapGet("/v2/health/ready", context => WriteJsonAsync(context, 200, w => w.WriteBoolean("ready", true)));
        app.MapGet("/v2", ServerMetadataAsync);
        foreach (var prefix in new[] { "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
        {
            app.MapGet(prefix, ModelMetadataAsync);
            app.MapGet(prefix + "/ready", ModelReadyAsync);
            app.MapGet(prefix + "/stats", StatisticsAsync);
            app.MapPost(prefix + "/infer", InferAsync);
        }

        app.MapPost("/", PredictAsync);
        app.MapFallback(context => WriteErrorAsync(context, 404, $"No route {context.Request.Method} {context.Request.Path}: use POST / (ModelArts predict analysis) or the v2 API under /v2/models/{{name}}."));
        return app;
    }

    private static Task ServerMetadataAsync(HttpContext context) => WriteJsonAsync(context, 200, w =>
    {
        w.WriteString("name", "infera-onnx-worker");
        w.WriteString("version", typeof(WorkerEndpoints).Assembly.GetName().Version?.ToString() ?? "0");
        w.WriteStartArray("extensions");
        w.WriteStringValue("binary_tensor_data");
        w.WriteStringValue("statistics");
        w.WriteEndArray();
    });

    private static Task ModelMetadataAsync(HttpContext context)
    {
        if (!Served(context, out var settings, out var name))
        {
            return NotServedAsync(context, settings, name);
        }

        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        return WriteJsonAsync(context, 200, w =>
        {
            w.WriteString("name", name);
            w.WriteStartArray("versions");
            w.WriteStringValue(settings.ModelVersion);
            w.WriteEndArray();
            w.WriteString("platform", Platform);
            w.WritePropertyName("inputs");
            TensorSpec.ToJson(engine.Signature.Inputs).WriteTo(w);
            w.WritePropertyName("outputs");
            TensorSpec.ToJson(engine.Signature.Outputs).WriteTo(w);
        });
    }

    private static Task ModelReadyAsync(HttpContext context) =>
        !Served(context, out var settings, out var name)
            ? NotServedAsync(context, settings, name)
            : WriteJsonAsync(context, 200, w =>
            {
                w.WriteString("name", name);
                w.WriteBoolean("ready", true);
            });

    private static Task StatisticsAsync(HttpContext context)
    {
        if (!Served(context, out var settings, out var name))
        {
            return NotServedAsync(context, settings, name);
        }

        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        return WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartArray("model_stats");
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("version", settings.ModelVersion);
            w.WriteNumber("inference_count", engine.InferenceCount);
            w.WriteNumber("execution_count", engine.ExecutionCount);
            w.WriteNumber("request_count", engine.RequestCount);
            w.WriteString("dynamic_batching", engine.BatchingState);
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    private static async Task InferAsync(HttpContext context)
    {
        if (!Served(context, out var settings, out var name))
        {
            await NotServedAsync(context, settings, name);
            return;
        }

        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        try
        {
            var body = await ReadBodyAsync(context);
            long? headerLength = null;
            if (context.Request.Headers[V2Codec.HeaderLengthHeader] is { Count: > 0 } header)
            {
                headerLength = long.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    ? length
                    : throw new InferInputException($"{V2Codec.HeaderLengthHeader} must be a whole number, not '{header[0]}'.");
            }

            var request = V2Codec.ReadRequest(body, headerLength);
            var bound = engine.Signature.Bind(request.Inputs);
            var outputs = await engine.InferAsync(bound, context.RequestAborted);
            var selected = Select(outputs, request);
            var buffer = new ArrayBufferWriter<byte>(1024);
            var jsonLength = V2Codec.WriteResponse(buffer, name, settings.ModelVersion, request.Id, selected);
            context.Response.StatusCode = 200;
            if (jsonLength is { } headerBytes)
            {
                context.Response.ContentType = "application/octet-stream";
                context.Response.Headers[V2Codec.HeaderLengthHeader] = headerBytes.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.ContentType = "application/json";
            }

            context.Response.ContentLength = buffer.WrittenCount;
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (InferInputException e)
        {
            await WriteErrorAsync(context, 400, e.Message);
        }
        catch (BodyTooLargeException e)
        {
            await WriteErrorAsync(context, 413, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (Exception e)
        {
            LogRunFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerEndpoints)), e);
            await WriteErrorAsync(context, 500, $"The model failed to run: {e.Message}");
        }
    }

    private static async Task PredictAsync(HttpContext context)
    {
        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        var codec = context.RequestServices.GetRequiredService<PredictAnalysisCodec>();
        try
        {
            var body = await ReadBodyAsync(context);
            var request = codec.Read(body);
            var results = new List<IReadOnlyList<Tensor>>(request.Groups.Count);
            foreach (var group in request.Groups)
            {
                results.Add(await engine.InferAsync(engine.Signature.Bind(group), context.RequestAborted));
            }

            var buffer = new ArrayBufferWriter<byte>(1024);
            codec.WriteResponse(buffer, request.MetaJson, results);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = buffer.WrittenCount;
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (Exception e) when (e is InferInputException or BodyTooLargeException)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            PredictAnalysisCodec.WriteError(buffer, PredictAnalysisCodec.InvalidInputCode, e.Message);
            await WriteAsync(context, e is BodyTooLargeException ? 413 : 400, buffer);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (Exception e)
        {
            LogRunFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerEndpoints)), e);
            var buffer = new ArrayBufferWriter<byte>(256);
            PredictAnalysisCodec.WriteError(buffer, "ModelArts.0010", $"The model failed to run: {e.Message}");
            await WriteAsync(context, 500, buffer);
        }
    }

    private static List<(Tensor Tensor, bool Binary)> Select(IReadOnlyList<Tensor> outputs, InferRequest request)
    {
        if (request.Outputs is null)
        {
            return [.. outputs.Select(o => (o, request.BinaryOutputs))];
        }

        var selected = new List<(Tensor, bool)>(request.Outputs.Count);
        foreach (var wanted in request.Outputs)
        {
            var tensor = outputs.FirstOrDefault(o => o.Name == wanted.Name)
                ?? throw new InferInputException($"{wanted.Name} is not an output of the model; its outputs are {string.Join(", ", outputs.Select(o => o.Name))}.");
            selected.Add((tensor, wanted.Binary ?? request.BinaryOutputs));
        }

        return selected;
    }

    private static bool Served(HttpContext context, out WorkerSettings settings, out string name)
    {
        settings = context.RequestServices.GetRequiredService<WorkerSettings>();
        name = (string)context.Request.RouteValues["name"]!;
        var version = context.Request.RouteValues["version"] as string;
        return settings.Serves(name) && (version is null || version == settings.ModelVersion);
    }

    private static Task NotServedAsync(HttpContext context, WorkerSettings settings, string name)
    {
        var version = context.Request.RouteValues["version"] as string;
        var names = settings.ServiceName is null ? $"'{settings.ModelName}'" : $"'{settings.ModelName}' (service '{settings.ServiceName}')";
        return WriteErrorAsync(context, 404,
            $"Model '{name}'{(version is null ? "" : $" version '{version}'")} is not served here; this instance serves {names} version '{settings.ModelVersion}'.");
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
    {
        var length = context.Request.ContentLength;
        if (length > MaxBodyBytes)
        {
            throw new BodyTooLargeException($"The body has {length} bytes; at most {MaxBodyBytes} are accepted.");
        }

        if (length is { } exact)
        {
            var buffer = new byte[exact];
            await context.Request.Body.ReadExactlyAsync(buffer, context.RequestAborted);
            return buffer;
        }

        using var copy = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BodyTooLargeException($"The body is larger than the {MaxBodyBytes} bytes accepted.");
        }

        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, w => w.WriteString("error", message));

    private static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        return WriteAsync(context, status, buffer);
    }

    private static async Task WriteAsync(HttpContext context, int status, ArrayBufferWriter<byte> buffer)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
    }

    [LoggerMessage(EventId = 10, EventName = "RunFailed", Level = LogLevel.Error, Message = "A model run failed.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    private sealed class BodyTooLargeException(string message) : Exception(message);
}
