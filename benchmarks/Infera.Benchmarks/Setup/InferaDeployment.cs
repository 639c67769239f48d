using System.Text.Json.Nodes;
using Infera.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Infera.Benchmarks.Setup;

/// <summary>
/// An Infera server started in this process on a free loopback port with a temporary data folder, with the sample
/// uploaded, imported and deployed as a one-instance real-time service, through the public API only.
/// </summary>
internal sealed class InferaDeployment : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private InferaDeployment(WebApplication app, string dataDirectory, Uri baseUri)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        BaseUri = baseUri;
    }

    /// <summary>The server's root URL.</summary>
    public Uri BaseUri { get; }

    /// <summary>The token every call sends as <c>X-Auth-Token</c>.</summary>
    public string Token { get; private set; } = "";

    /// <summary>The service's <c>access_address</c>.</summary>
    public Uri AccessAddress { get; private set; } = null!;

    /// <summary>
    /// The <c>access_address</c> of a second service of the same model with ten personalized rules that never match
    /// (string, regex, header and hashCode forms) and a rate limit far above the load: the gateway's traffic
    /// features configured but not taken.
    /// </summary>
    public Uri TrafficAccessAddress { get; private set; } = null!;

    /// <summary>The service id.</summary>
    public string ServiceId { get; private set; } = "";

    /// <summary>The data folder (its <c>instances/</c> holds the gateway instance's log).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Starts the server, then uploads, imports and deploys <paramref name="package"/> and waits until the service runs.</summary>
    public static async Task<InferaDeployment> StartAsync(RepositoryLayout repo, string python, SamplePackage package, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("infera-bench-data-").FullName;
        var baseUri = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        WebApplication app;
        try
        {
            app = InferaHost.Build(new InferaServerOptions
            {
                DataDirectory = dataDirectory,
                Urls = baseUri.ToString().TrimEnd('/'),
                PythonPath = python,
                PythonRuntimeDirectory = repo.PythonRuntime,
            });
        }
        catch
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }

        var deployment = new InferaDeployment(app, dataDirectory, baseUri);
        try
        {
            await app.StartAsync(cancellationToken);
            await deployment.DeployAsync(package, timeout, cancellationToken);
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    private async Task DeployAsync(SamplePackage package, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var api = await InferaApi.LoginAsync(BaseUri, _dataDirectory, cancellationToken);
        Token = api.Token;
        await api.UploadFolderAsync(package.PackageDirectory, "bench", "sklearn_iris", cancellationToken);
        var modelId = await api.ImportAsync("bench-sklearn-iris", "1.0.0", "obs://bench/sklearn_iris/", timeout, cancellationToken);
        var running = await api.DeployAsync(InferaApi.RealTime("bench-sklearn-iris", modelId), timeout, cancellationToken);
        ServiceId = (string?)running["service_id"] ?? throw new InvalidOperationException("The running service has no service_id.");
        AccessAddress = new Uri((string?)running["access_address"] ?? throw new InvalidOperationException("The running service has no access_address."));

        var conditions = new[]
        {
            "#HEADER_uid.hashCode() % 100 < 10", "#USER_NAME matches 'nobody.*'", "#DOMAIN_NAME == 'someone-else'",
            "#HEADER_version == '0.0.1'", "#HEADER_testheader matches 'mock.*'", "#PROJECT_NAME == 'other' && #USER_ID != ''",
            "#HEADER_x-tenant == 'acme' || #HEADER_x-tenant == 'globex'", "#USER_NAME.hashCode() % 7 == 9", "!(#DOMAIN_ID != '')",
            "#HEADER_canary == 'true'",
        };
        var traffic = InferaApi.RealTime("bench-sklearn-iris-traffic", modelId);
        traffic["routing_rules"] = new JsonArray(conditions.Select(c => (JsonNode?)new JsonObject
        {
            ["condition"] = c, ["model_id"] = modelId, ["header_name"] = "X-Run-Config", ["header_value"] = "never",
        }).ToArray());
        traffic["rate_limit"] = 100_000;
        var trafficRunning = await api.DeployAsync(traffic, timeout, cancellationToken);
        TrafficAccessAddress = new Uri((string?)trafficRunning["access_address"] ?? throw new InvalidOperationException("The running service has no access_address."));
    }

    /// <summary>Stops the server (which stops the instance process) and deletes the data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await _app.DisposeAsync();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
