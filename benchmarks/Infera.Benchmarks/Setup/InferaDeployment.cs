using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
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
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };

        var password = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "admin-password"), cancellationToken)).Trim();
        var auth = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject
                    {
                        ["user"] = new JsonObject { ["name"] = "admin", ["password"] = password, ["domain"] = new JsonObject { ["name"] = "default" } },
                    },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = "default" } },
            },
        };
        using (var response = await http.PostAsJsonAsync("/v3/auth/tokens", auth, cancellationToken))
        {
            var body = await ExpectAsync(response, HttpStatusCode.Created, "POST /v3/auth/tokens", cancellationToken);
            Token = response.Headers.GetValues("X-Subject-Token").Single();
            http.DefaultRequestHeaders.Add("X-Auth-Token", Token);
            var projectId = (string?)body["token"]?["project"]?["id"] ?? throw new InvalidOperationException("The token response has no token.project.id.");
            await DeployInProjectAsync(http, projectId, package, timeout, cancellationToken);
        }
    }

    private async Task DeployInProjectAsync(HttpClient http, string projectId, SamplePackage package, TimeSpan timeout, CancellationToken cancellationToken)
    {
        const string bucket = "bench";
        using (var response = await http.PutAsync($"/v1/{projectId}/obs/buckets/{bucket}", null, cancellationToken))
        {
            await ExpectAsync(response, null, "PUT bucket", cancellationToken);
        }

        foreach (var file in Directory.EnumerateFiles(package.PackageDirectory, "*", SearchOption.AllDirectories))
        {
            var key = "sklearn_iris/" + Path.GetRelativePath(package.PackageDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file, cancellationToken));
            using var response = await http.PutAsync($"/v1/{projectId}/obs/buckets/{bucket}/objects/{key}", content, cancellationToken);
            await ExpectAsync(response, null, $"PUT object {key}", cancellationToken);
        }

        string modelId;
        var model = new JsonObject { ["model_name"] = "bench-sklearn-iris", ["model_version"] = "1.0.0", ["source_location"] = $"obs://{bucket}/sklearn_iris/" };
        using (var response = await http.PostAsJsonAsync($"/v1/{projectId}/models", model, cancellationToken))
        {
            var body = await ExpectAsync(response, null, "POST models", cancellationToken);
            modelId = (string?)body["model_id"] ?? throw new InvalidOperationException("POST models answered no model_id.");
        }

        await PollAsync(http, $"/v1/{projectId}/models/{modelId}", "model_status", "published", timeout, cancellationToken);

        var service = new JsonObject
        {
            ["service_name"] = "bench-sklearn-iris",
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject
            {
                ["model_id"] = modelId, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1,
            }),
        };
        using (var response = await http.PostAsJsonAsync($"/v1/{projectId}/services", service, cancellationToken))
        {
            var body = await ExpectAsync(response, null, "POST services", cancellationToken);
            ServiceId = (string?)body["service_id"] ?? throw new InvalidOperationException("POST services answered no service_id.");
        }

        var running = await PollAsync(http, $"/v1/{projectId}/services/{ServiceId}", "status", "running", timeout, cancellationToken);
        AccessAddress = new Uri((string?)running["access_address"] ?? throw new InvalidOperationException("The running service has no access_address."));

        var conditions = new[]
        {
            "#HEADER_uid.hashCode() % 100 < 10", "#USER_NAME matches 'nobody.*'", "#DOMAIN_NAME == 'someone-else'",
            "#HEADER_version == '0.0.1'", "#HEADER_testheader matches 'mock.*'", "#PROJECT_NAME == 'other' && #USER_ID != ''",
            "#HEADER_x-tenant == 'acme' || #HEADER_x-tenant == 'globex'", "#USER_NAME.hashCode() % 7 == 9", "!(#DOMAIN_ID != '')",
            "#HEADER_canary == 'true'",
        };
        var traffic = new JsonObject
        {
            ["service_name"] = "bench-sklearn-iris-traffic",
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject
            {
                ["model_id"] = modelId, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1,
            }),
            ["routing_rules"] = new JsonArray(conditions.Select(c => (JsonNode?)new JsonObject
            {
                ["condition"] = c, ["model_id"] = modelId, ["header_name"] = "X-Run-Config", ["header_value"] = "never",
            }).ToArray()),
            ["rate_limit"] = 100_000,
        };
        string trafficId;
        using (var response = await http.PostAsJsonAsync($"/v1/{projectId}/services", traffic, cancellationToken))
        {
            var body = await ExpectAsync(response, null, "POST services (traffic)", cancellationToken);
            trafficId = (string?)body["service_id"] ?? throw new InvalidOperationException("POST services answered no service_id.");
        }

        var trafficRunning = await PollAsync(http, $"/v1/{projectId}/services/{trafficId}", "status", "running", timeout, cancellationToken);
        TrafficAccessAddress = new Uri((string?)trafficRunning["access_address"] ?? throw new InvalidOperationException("The running service has no access_address."));
    }

    private static async Task<JsonNode> PollAsync(HttpClient http, string path, string field, string wanted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var last = "";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var response = await http.GetAsync(path, cancellationToken);
            var body = await ExpectAsync(response, HttpStatusCode.OK, $"GET {path}", cancellationToken);
            last = (string?)body[field] ?? "";
            if (last == wanted)
            {
                return body;
            }

            if (last is "failed" or "concerning" or "stopped" or "deleted")
            {
                throw new InvalidOperationException($"GET {path}: {field} became '{last}' instead of '{wanted}': {body.ToJsonString()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new TimeoutException($"GET {path}: {field} was still '{last}' after {timeout.TotalSeconds:0} s (wanted '{wanted}').");
    }

    private static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode? status, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var ok = status is null ? response.IsSuccessStatusCode : response.StatusCode == status;
        if (!ok)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
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
