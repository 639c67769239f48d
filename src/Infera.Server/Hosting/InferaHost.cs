using System.Net;
using Infera.Gateway.Forwarding;
using Infera.Gateway.Routing;
using Infera.Runtime.Custom;
using Infera.Runtime.Onnx;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;
using Infera.Server.Api;
using Infera.Server.Hosting.Background;
using Infera.Server.Hosting.Health;
using Infera.Server.Apps;
using Infera.Server.CloudShell;
using Infera.Server.WebConsole;
using Infera.Server.Identity;
using Infera.Server.Inference;
using Infera.Server.Models;
using Infera.Server.Observability;
using Infera.Server.Objects;
using Infera.Server.Services;
using Infera.Storage.Objects;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Hosting;

/// <summary>Builds the Infera web application: control plane, gateway and background services in one process.</summary>
public static class InferaHost
{
    /// <summary>Creates the application for <paramref name="options"/> (not started).</summary>
    /// <param name="options">Data folder, URLs, runtime settings.</param>
    /// <param name="configureServices">Optional replacements registered before the defaults (tests swap the clock or limits).</param>
    public static WebApplication Build(InferaServerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new Core.Errors.InferaException(400, "ModelArts.0101", "Invalid server settings: " + string.Join(" ", problems));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Limits are set per route: 12 MB for inference, 5 GiB for object uploads.
            kestrel.Limits.MaxRequestBodySize = null;
            // IAM tokens from real clients can be kilobytes long (spec/auth.md §3.1).
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            // Signed header values are hashed as the UTF-8 bytes on the wire (spec/auth.md §8.4).
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.UTF8;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            // Issue #20: every loop runs under BackgroundLoopRunner and retries its own failures; should one still end
            // with an exception (a defect), it is reported by /readyz and the host keeps serving inference.
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        configureServices?.Invoke(builder.Services);
        builder.Services.AddInfera(options);

        var app = builder.Build();
        _ = app.Services.GetRequiredService<DataFolderLock>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseWebSockets();
        app.UseMiddleware<AuthenticationMiddleware>();
        app.MapGet("/health", () => Results.Json(new { status = "OK" }));
        app.MapInferaHealthChecks();
        app.MapTokenEndpoints();
        app.MapIamEndpoints();
        app.MapAppEndpoints();
        app.MapObjectEndpoints();
        app.MapModelEndpoints();
        app.MapServiceEndpoints();
        app.MapInferenceEndpoints();
        app.MapOipRootEndpoints();
        app.MapObservabilityEndpoints();
        app.MapServerEndpoints();
        app.MapCloudShellEndpoints();
        app.MapConsole();
        app.Services.GetRequiredService<IdentityService>().Bootstrap();
        return app;
    }

    /// <summary>Registers every Infera service (each with <c>TryAdd</c>, so tests can swap one in first).</summary>
    public static IServiceCollection AddInfera(this IServiceCollection services, InferaServerOptions options)
    {
        var paths = new InferaPaths(options.DataDirectory);
        services.TryAddSingleton(options);
        services.TryAddSingleton(paths);
        services.TryAddSingleton<DataFolderLock>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new InferaDatabase(paths.Database, options.StoreBusyTimeout));
        services.TryAddSingleton(options.BackgroundLoops);
        services.TryAddSingleton<LoopHealthRegistry>();
        services.TryAddSingleton<ServerEvents>();
        services.TryAddSingleton<BackgroundLoopRunner>();
        services.AddInferaHealthChecks();
        services.TryAddSingleton(_ => new LocalObjectStore(paths.ObjectStore));
        services.TryAddSingleton<IdentityStore>();
        services.TryAddSingleton<ModelStore>();
        services.TryAddSingleton<ServiceStore>();
        services.TryAddSingleton<EventStore>();
        services.TryAddSingleton<BucketStore>();
        services.TryAddSingleton<InstanceStore>();
        services.TryAddSingleton<ServiceUpdateLogStore>();
        services.TryAddSingleton(_ => NodeResources.Detect());
        services.TryAddSingleton<FlavorCatalog>();
        services.TryAddSingleton(_ => ResourceLimiter.Detect());
        services.TryAddSingleton<AccessKeyStore>();
        services.TryAddSingleton<AppStore>();
        services.TryAddSingleton(options.Auth);
        services.TryAddSingleton(_ => SecretProtector.FromFile(
            options.SecretsKeyFile ?? Environment.GetEnvironmentVariable("INFERA_SECRETS_KEY_FILE") ?? paths.SecretsKeyFile));
        services.TryAddSingleton<SignatureThrottle>();
        services.TryAddSingleton<SignatureVerifier>();
        services.TryAddSingleton<IdentityService>();
        services.TryAddSingleton<IamManager>();
        services.TryAddSingleton<AppManager>();
        services.TryAddSingleton<ObjectStorageService>();
        services.TryAddSingleton<ModelImportChannel>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<ServiceManager>();
        services.TryAddSingleton<ServiceViews>();
        services.TryAddSingleton(new PythonRuntimeOptions
        {
            PythonPath = options.PythonPath,
            RuntimeDirectory = options.PythonRuntimeDirectory ?? Path.Combine(AppContext.BaseDirectory, "python-runtime"),
        });
        services.TryAddSingleton<PythonInstanceFactory>();
        services.TryAddSingleton<CustomInstanceFactory>();
        services.TryAddSingleton(new OnnxRuntimeOptions());
        services.TryAddSingleton<OnnxInstanceFactory>();
        services.TryAddSingleton<OnnxInspector>();
        services.TryAddSingleton(_ => new ProbeExecutor(new HttpClient(CreateHandler())));
        services.TryAddSingleton(new GatewayOptions());
        services.TryAddSingleton<RoutingTable>();
        services.TryAddSingleton<InvocationCounters>();
        services.AddInferaObservability();
        services.AddCloudShell();
        services.TryAddSingleton(_ => new HttpMessageInvoker(CreateHandler(), disposeHandler: true));
        services.TryAddSingleton<InferenceForwarder>();
        services.TryAddSingleton<WebSocketRelay>();
        services.TryAddSingleton(sp => new ReadinessProbe(new HttpClient(CreateHandler()), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DependencyBuilder>();
        services.TryAddSingleton<ModelImporter>();
        services.TryAddSingleton<ServiceReconciler>();
        services.TryAddSingleton(options.Batch);
        services.TryAddSingleton<BatchTaskStore>();
        services.TryAddSingleton<Batch.BatchInputs>();
        services.TryAddSingleton<Batch.BatchResults>();
        services.TryAddSingleton<InstanceLauncher>();
        services.TryAddSingleton<Batch.BatchInstances>();
        services.TryAddSingleton<Batch.BatchRunner>();
        services.TryAddSingleton<Batch.BatchServices>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelImporter>());
        services.AddHostedService(sp => sp.GetRequiredService<ServiceReconciler>());
        services.AddHostedService(sp => sp.GetRequiredService<Batch.BatchRunner>());
        services.AddHostedService<InvocationFlusher>();
        services.TryAddSingleton<EventRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<EventRetention>());
        return services;
    }

    // Loopback to our own instances: no proxy, no redirects, no decompression (bodies pass through unchanged).
    // Custom engines with protocol https serve their own (usually self-signed) certificate on 127.0.0.1; the
    // connection never leaves the host, so the certificate is not verified.
    private static SocketsHttpHandler CreateHandler() => new()
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
#pragma warning disable CA5359 // Only ever used for 127.0.0.1 connections to child processes this server started.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        },
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        MaxConnectionsPerServer = 256,
    };
}
