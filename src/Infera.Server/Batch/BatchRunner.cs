using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Core;
using Infera.Core.Events;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Server.Hosting.Background;
using Infera.Server.Services;
using Infera.Storage.Faults;
using Polly;
using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Batch;

/// <summary>
/// Owns the live side of batch services (R-B1…R-B5), as <see cref="ServiceReconciler"/> does for real-time ones: for
/// each batch service whose desired state is running it lists the inputs once into <c>batch_items</c>, starts
/// <c>instance_count</c> instances, sends every pending input with bounded concurrency spread round-robin over them,
/// records each outcome after its result object is written, writes the result manifests from the database and stops
/// the instances: <c>deploying</c> → <c>running</c> → <c>finished</c> (or <c>failed</c>/<c>stopped</c>). A stop or a
/// server shutdown (or kill) leaves the pending items pending, so the next start (or server start) continues the task.
/// </summary>
public sealed partial class BatchRunner(
    ServiceStore services,
    ModelStore models,
    EventStore events,
    BatchTaskStore tasks,
    BatchInputs inputs,
    BatchResults results,
    BatchInstances instances,
    ServiceReconciler reconciler,
    BatchOptions options,
    BackgroundLoopRunner loops,
    TimeProvider time,
    ILogger<BatchRunner> logger) : BackgroundService
{
    private readonly BatchOptions _options = options;

    // Recording an item's outcome waits out a busy metadata store (about 2 minutes at most) instead of failing the run.
    private readonly ResiliencePipeline _storeRetry = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new Polly.Retry.RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && StorageFaults.Classify(e) == Core.Errors.StorageFault.StoreBusy),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(30),
        })
        .Build();
    private readonly Dictionary<string, Job> _jobs = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        MaxConnectionsPerServer = 64,
        // Custom engines with protocol https serve their own (usually self-signed) certificate on 127.0.0.1, as for
        // the gateway's connections (InferaHost): the connection never leaves the host.
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
#pragma warning disable CA5359 // Only ever used for 127.0.0.1 connections to child processes this server started.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        },
    }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Asks the loop to look at the batch services now instead of at its next tick.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // After shutdown.
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loops.RunAsync(new BackgroundLoop
    {
        Name = "batch-runner",
        // Instances a killed server left behind are stopped by the reconciler first; only then may new ones start.
        Start = async ct => await reconciler.OrphansStopped.WaitAsync(ct),
        Tick = BackgroundLoop.Sync(() => Tick(stoppingToken)),
        Wait = ct => _wake.WaitAsync(TimeSpan.FromSeconds(1), ct),
        StallAfter = TimeSpan.FromMinutes(1),
    }, stoppingToken);

    /// <summary>Cancels every run and waits for its instances to stop; desired states stay, so the next start resumes.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var job in _jobs.Values)
        {
            await job.Cancel.CancelAsync();
        }

        await Task.WhenAll(_jobs.Values.Select(j => j.Run));
        _jobs.Clear();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        _http.Dispose();
        base.Dispose();
    }

    private void Tick(CancellationToken stoppingToken)
    {
        foreach (var (id, job) in _jobs.Where(j => j.Value.Run.IsCompleted).ToList())
        {
            _jobs.Remove(id);
            job.Cancel.Dispose();
        }

        foreach (var service in services.ListAll().Where(s => s.InferType == InferTypes.Batch))
        {
            var active = _jobs.GetValueOrDefault(service.Id);
            switch (service.DesiredState)
            {
                case ServiceManager.DesiredDeleted:
                    if (active is not null)
                    {
                        active.Cancel.Cancel();
                    }
                    else
                    {
                        tasks.Delete(service.Id);
                        services.Delete(service.Id);
                        events.DeleteFor(service.Id);
                    }

                    break;
                case ServiceStatus.Stopped:
                    if (active is not null)
                    {
                        active.Cancel.Cancel();
                    }
                    else if (service.Status != ServiceStatus.Stopped && SetStatus(service, ServiceStatus.Stopped, ""))
                    {
                        Event(service.Id, EventRecord.Normal, ServiceEvents.Stopped);
                    }

                    break;
                case ServiceStatus.Running when active is null && service.Status is ServiceStatus.Deploying or ServiceStatus.Running:
                    var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    _jobs[service.Id] = new Job(cancel, Task.Run(() => RunAsync(service, cancel.Token), CancellationToken.None));
                    break;
            }
        }
    }

    private async Task RunAsync(ServiceRecord service, CancellationToken cancellationToken)
    {
        var started = new List<BatchInstances.Started>();
        var item = service.Config[0];
        var batch = item.Batch!;
        BatchTaskStore.BatchTask? task = null;
        try
        {
            // Deploy and start create the task with the service; FindOrCreate never replaces one (issue #20).
            task = tasks.FindOrCreate(service.Id, Ids.NewUuid());
            if (task.FinishedTime > 0)
            {
                // The task completed and the server stopped before the status said so.
                Finish(service, task);
                return;
            }

            if (!task.Listed)
            {
                var listing = await inputs.ListAsync(service.ProjectId, batch, cancellationToken);
                if (!tasks.RecordListing(task.TaskId, listing, Now()))
                {
                    // A start replaced the task meanwhile: that task is run by the next pass.
                    return;
                }

                Event(service.Id, EventRecord.Normal, $"Batch task {task.TaskId}: {listing.Count} inputs from {batch.SrcPath}.");
            }

            var pending = tasks.ListPending(task.TaskId);
            if (pending.Count > 0)
            {
                var model = models.FindAny(item.ModelId);
                if (model is null || model.Status != ModelStatus.Published)
                {
                    throw new BatchRunException($"model {item.ModelId} is not available (deleted or not published).");
                }

                var count = Math.Min(item.InstanceCount, pending.Count);
                await instances.StartAsync(service, model, item, count, started, cancellationToken);
                Event(service.Id, EventRecord.Normal, $"{count} instance(s) of {model.Name} {model.Version} ready.");
            }

            tasks.MarkStarted(task.TaskId, Now());
            if (service.Status != ServiceStatus.Running && SetStatus(service, ServiceStatus.Running, ""))
            {
                Event(service.Id, EventRecord.Normal, ServiceEvents.StartedSuccessfully(service.Name));
            }

            if (pending.Count > 0)
            {
                await ProcessAsync(service, batch, task.TaskId, pending, started, cancellationToken);
            }

            await results.WriteManifestsAsync(batch, task.TaskId, cancellationToken);
            tasks.MarkFinished(task.TaskId, Now());
            Finish(service, task);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stop, delete or shutdown: what is done stays done; the manifests show it (best effort).
            if (task is not null && tasks.Find(service.Id)?.Listed == true)
            {
                await WriteManifestsQuietlyAsync(batch, task.TaskId);
            }
        }
        catch (Exception e) when (e is BatchRunException or Core.Errors.InferaException or IOException or HttpRequestException or UnauthorizedAccessException)
        {
            // Manifests first: a client that reads "failed" finds what was done.
            if (task is not null && tasks.Find(service.Id)?.Listed == true)
            {
                await WriteManifestsQuietlyAsync(batch, task.TaskId);
            }

            Fail(service, e.Message);
        }
        catch (Exception e)
        {
            LogRunFailed(logger, service.Name, e);
            Fail(service, "internal error: " + e.Message);
        }
        finally
        {
            await instances.StopAsync(started);
            if (started.Count > 0)
            {
                Event(service.Id, EventRecord.Normal, ServiceEvents.ModelStopped(Environment.MachineName));
            }

            Wake();
        }
    }

    private async Task ProcessAsync(ServiceRecord service, BatchConfig batch, string taskId, IReadOnlyList<BatchTaskStore.BatchItem> pending,
        List<BatchInstances.Started> started, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, started.Count * Math.Max(1, _options.ConcurrencyPerInstance));
        var api = Api(service);
        using var sender = new Sender(this, started, batch, new HttpMethod((api?.Method ?? "post").ToUpperInvariant()), limit);
        var rule = batch.MappingRule is { } text ? JsonNode.Parse(text) as JsonObject : null;
        var fileField = batch.MappingType == BatchMappingTypes.File
            ? (api?.RequestSchema is { } schema ? BatchServices.FileFields(schema).FirstOrDefault() : null) ?? "file"
            : null;
        // Twice as many items as request slots: while one item's request is at the model, another's input is read and
        // its result written, so the instances never wait for our I/O; the slots still bound the requests in flight.
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = limit * 2, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (result, location, error) = await ProcessItemAsync(service, batch, taskId, item, sender, rule, fileField, ct);
            await _storeRetry.ExecuteAsync(_ => { tasks.MarkDone(taskId, item.Seq, result, location, error, Now()); return ValueTask.CompletedTask; }, ct);
        });
    }

    // Issue #20: an input fails alone. Whatever goes wrong with one input (download, refused redirect, decode, the
    // model's error or silence, writing its result) becomes its FAILED line with the reason, and the run goes on. Only
    // the run's own faults end it: cancellation, and an instance that died (BatchRunException).
    private async Task<(string Result, string Location, string Error)> ProcessItemAsync(ServiceRecord service, BatchConfig batch, string taskId,
        BatchTaskStore.BatchItem item, Sender sender, JsonObject? rule, string? fileField, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessItemCoreAsync(service, batch, taskId, item, sender, rule, fileField, cancellationToken);
        }
        catch (BatchInputException e)
        {
            return (BatchResults.Failed, "", e.Message);
        }
        catch (Exception e) when (e is not BatchRunException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            if (StorageFaults.ToError(e) is { } storage)
            {
                return (BatchResults.Failed, "", $"The result could not be stored: {storage.ErrorCode}: {storage.Message}");
            }

            LogItemFailed(logger, service.Name, item.Seq, e);
            return (BatchResults.Failed, "", $"Unexpected error while processing this input ({e.GetType().Name}: {e.Message}); the server log has the details.");
        }
    }

    private async Task<(string Result, string Location, string Error)> ProcessItemCoreAsync(ServiceRecord service, BatchConfig batch, string taskId,
        BatchTaskStore.BatchItem item, Sender sender, JsonObject? rule, string? fileField, CancellationToken cancellationToken)
    {
        byte[] data;
        try
        {
            data = await inputs.ReadAsync(service.ProjectId, item.Source, cancellationToken);
        }
        catch (BatchInputException e)
        {
            return (BatchResults.Failed, "", e.Message);
        }

        var name = item.ResultName[..^BatchInputs.ResultSuffix.Length];
        if (fileField is not null)
        {
            var answer = await sender.SendFileAsync(fileField, Path.GetFileName(name), data, cancellationToken);
            if (!answer.Ok)
            {
                return (BatchResults.Failed, "", answer.Text);
            }

            var location = await results.WriteResultAsync(batch, taskId, item.ResultName, answer.Body, cancellationToken);
            return (BatchResults.Successful, location, "");
        }

        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return (BatchResults.Failed, "", "Not a CSV file: a csv mapping takes .csv inputs only.");
        }

        var rows = CsvRows.Parse(DecodeText(data));
        if (rows.Count == 0)
        {
            return (BatchResults.Failed, "", "The CSV file has no rows.");
        }

        var lines = new string[rows.Count];
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = sender.Limit, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                JsonNode request;
                try
                {
                    request = BatchMapping.Build(rule!, rows[i]);
                }
                catch (FormatException e)
                {
                    Interlocked.Increment(ref failed);
                    lines[i] = ErrorLine(i, e.Message);
                    return;
                }

                var answer = await sender.SendJsonAsync(request, ct);
                if (!answer.Ok)
                {
                    Interlocked.Increment(ref failed);
                }

                lines[i] = answer.Ok ? OneLine(answer.Body) : ErrorLine(i, answer.Text);
            });
        var content = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        var written = await results.WriteResultAsync(batch, taskId, item.ResultName, content, cancellationToken);
        return failed == 0
            ? (BatchResults.Successful, written, "")
            : (BatchResults.Failed, written, $"{failed} of {rows.Count} rows failed; their lines in the result file carry the errors.");
    }

    // The model API the service calls (req_uri), for its method and file field.
    private Packaging.ModelApi? Api(ServiceRecord service)
    {
        var model = models.FindAny(service.Config[0].ModelId);
        var apis = model is null || model.ConfigJson.Length == 0 ? null : Packaging.ModelConfigReader.Read(model.ConfigJson).Config?.Apis;
        return apis?.FirstOrDefault(a => a.Url == service.Config[0].Batch!.ReqUri);
    }

    private void Finish(ServiceRecord service, BatchTaskStore.BatchTask task)
    {
        var counts = tasks.Counts(task.TaskId);
        if (SetStatus(service, ServiceStatus.Finished, ""))
        {
            Event(service.Id, EventRecord.Normal,
                $"Batch task {task.TaskId} finished: {counts.Processed} of {counts.Total} inputs processed, {counts.Processed - counts.Failed} successful, {counts.Failed} failed.");
            Event(service.Id, EventRecord.Normal, ServiceEvents.StoppedAfterRunning);
        }
    }

    private void Fail(ServiceRecord service, string reason)
    {
        if (SetStatus(service, ServiceStatus.Failed, reason))
        {
            Event(service.Id, EventRecord.Abnormal, ServiceEvents.BatchOperationFailed("run", reason.TrimEnd('.')));
            LogServiceFailed(logger, service.Name, reason);
        }
    }

    private async Task WriteManifestsQuietlyAsync(BatchConfig batch, string taskId)
    {
        try
        {
            await results.WriteManifestsAsync(batch, taskId, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or Core.Errors.InferaException or UnauthorizedAccessException)
        {
            LogManifestFailed(logger, taskId, e);
        }
    }

    private static string DecodeText(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    // One result line per CSV row: the model's JSON answer on one line (its raw text when it is not JSON).
    private static string OneLine(byte[] body)
    {
        var read = Core.Documents.LenientJson.Parse(body, new Core.Documents.LenientJsonOptions { MaxDepth = 1000 });
        return read.Problem is null ? read.Root?.ToJsonString() ?? "null" : Encoding.UTF8.GetString(body).ReplaceLineEndings(" ");
    }

    private static string ErrorLine(int row, string message) =>
        new JsonObject { ["row"] = row, ["error_msg"] = message }.ToJsonString();

    private bool SetStatus(ServiceRecord service, string status, string errorMessage) =>
        services.UpdateStatus(service.Id, service.DesiredState, status, Now(), errorMessage);

    private void Event(string serviceId, string type, string info) => events.Add(new EventRecord(serviceId, type, info, Now()));

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed record Job(CancellationTokenSource Cancel, Task Run);

    private readonly record struct Answer(bool Ok, byte[] Body, string Text);

    // Bounded concurrency over the instances: at most Limit requests in flight, instances taken round-robin.
    private sealed class Sender(BatchRunner runner, List<BatchInstances.Started> instances, BatchConfig batch, HttpMethod method, int limit) : IDisposable
    {
        private readonly SemaphoreSlim _slots = new(limit);
        private int _next = -1;

        public int Limit => limit;

        public void Dispose() => _slots.Dispose();

        public Task<Answer> SendFileAsync(string field, string fileName, byte[] data, CancellationToken cancellationToken)
        {
            return SendAsync(() =>
            {
                var form = new MultipartFormDataContent();
                var part = new ByteArrayContent(data);
                part.Headers.ContentType = new MediaTypeHeaderValue(ContentTypeOf(fileName));
                form.Add(part, field, fileName);
                return form;
            }, cancellationToken);
        }

        public Task<Answer> SendJsonAsync(JsonNode body, CancellationToken cancellationToken) =>
            SendAsync(() => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

        private async Task<Answer> SendAsync(Func<HttpContent> content, CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                var instance = instances[(int)((uint)Interlocked.Increment(ref _next) % (uint)instances.Count)];
                if (instance.Process.Exited.IsCompleted)
                {
                    throw new BatchRunException($"instance {instance.Id} exited during the run ({Runtime.Processes.ReadinessProbe.DescribeExit(instance.Process, instance.Process.Exited.Result)}); start the service again to continue.");
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(runner._options.RequestTimeout);
                using var request = new HttpRequestMessage(method, instance.BaseUri + batch.ReqUri) { Content = content() };
                try
                {
                    using var response = await runner._http.SendAsync(request, timeout.Token);
                    var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                    return response.IsSuccessStatusCode
                        ? new Answer(true, body, "")
                        : new Answer(false, body, $"The model answered {(int)response.StatusCode}: {Truncate(Encoding.UTF8.GetString(body))}");
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return new Answer(false, [], $"The model gave no answer within {runner._options.RequestTimeout.TotalSeconds:0} s.");
                }
                catch (HttpRequestException e)
                {
                    // A connection that broke is usually a process that died: give its exit a moment to be seen.
                    try
                    {
                        var code = await instance.Process.Exited.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                        throw new BatchRunException($"instance {instance.Id} exited during the run ({Runtime.Processes.ReadinessProbe.DescribeExit(instance.Process, code)}); start the service again to continue.");
                    }
                    catch (TimeoutException)
                    {
                        throw new BatchRunException($"instance {instance.Id} could not be reached ({e.Message}); start the service again to continue.");
                    }
                }
            }
            finally
            {
                _slots.Release();
            }
        }

        private static string Truncate(string text) => text.Length <= 500 ? text.ReplaceLineEndings(" ") : text[..500].ReplaceLineEndings(" ") + "…";

        private static string ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".bmp" => "image/bmp",
            ".gif" => "image/gif",
            ".wav" => "audio/wav",
            ".mp3" => "audio/mpeg",
            ".txt" => "text/plain",
            ".csv" => "text/csv",
            ".json" => "application/json",
            _ => "application/octet-stream",
        };
    }

    [LoggerMessage(EventId = 1402, EventName = "BatchFailed", Level = LogLevel.Warning, Message = "Batch service {ServiceName} failed: {Reason}")]
    private static partial void LogServiceFailed(ILogger logger, string serviceName, string reason);

    [LoggerMessage(EventId = 1403, EventName = "BatchRunFailed", Level = LogLevel.Error, Message = "Batch service {ServiceName} run failed unexpectedly.")]
    private static partial void LogRunFailed(ILogger logger, string serviceName, Exception exception);

    [LoggerMessage(EventId = 1405, EventName = "BatchItemFailed", Level = LogLevel.Error, Message = "Batch service {ServiceName}: input {Seq} failed unexpectedly; it is recorded FAILED and the run goes on.")]
    private static partial void LogItemFailed(ILogger logger, string serviceName, long seq, Exception exception);

    [LoggerMessage(EventId = 1404, EventName = "BatchManifestFailed", Level = LogLevel.Warning, Message = "Result manifests of batch task {TaskId} could not be written.")]
    private static partial void LogManifestFailed(ILogger logger, string taskId, Exception exception);
}
