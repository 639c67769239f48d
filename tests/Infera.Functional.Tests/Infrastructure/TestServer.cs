using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests.Infrastructure;

/// <summary>
/// A real Infera server on a free loopback port with its own data folder, logged in as admin. Helpers drive the
/// REST API exactly as a client would.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(2);
    private readonly WebApplication? _app;
    private bool _stopped;

    private TestServer(WebApplication? app, string dataDirectory, string baseUrl)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(90) };
    }

    public string DataDirectory { get; }

    public string BaseUrl { get; }

    /// <summary>Sends X-Auth-Token on every call once logged in.</summary>
    public HttpClient Http { get; }

    public string ProjectId { get; private set; } = "";

    public string Token { get; private set; } = "";

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server runs in another process.");

    /// <summary>Connects to a server running in another process (e.g. <c>infera server</c>) and logs in as admin.</summary>
    public static async Task<TestServer> AttachAsync(string baseUrl, string dataDirectory)
    {
        var server = new TestServer(null, dataDirectory, baseUrl);
        await server.LoginAsync();
        return server;
    }

    /// <summary>A free loopback port.</summary>
    public static int GetFreePort() => FreePort();

    public static async Task<TestServer> StartAsync(string? dataDirectory = null, Action<IServiceCollection>? configure = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "infera-test-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var app = InferaHost.Build(new InferaServerOptions { DataDirectory = dataDirectory, Urls = baseUrl }, configure);
        await app.StartAsync();
        var server = new TestServer(app, dataDirectory, baseUrl);
        await server.LoginAsync();
        return server;
    }

    public async Task LoginAsync()
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-password"))).Trim();
        using var response = await Http.PostAsync("/v3/auth/tokens", Json(TokenBody(password)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Token = response.Headers.GetValues("X-Subject-Token").Single();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ProjectId = body["token"]!["project"]!["id"]!.GetValue<string>();
        Http.DefaultRequestHeaders.Remove("X-Auth-Token");
        Http.DefaultRequestHeaders.Add("X-Auth-Token", Token);
    }

    public static JsonObject TokenBody(string password, string user = "admin") => new()
    {
        ["auth"] = new JsonObject
        {
            ["identity"] = new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user, ["password"] = password, ["domain"] = new JsonObject { ["name"] = "default" } } },
            },
            ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = "default" } },
        },
    };

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public string V1(string path) => $"/v1/{ProjectId}/{path}";

    /// <summary>Uploads every file under <paramref name="folder"/> to obs://<paramref name="bucket"/>/<paramref name="prefix"/>/…</summary>
    public async Task UploadFolderAsync(string folder, string bucket, string prefix)
    {
        using (var created = await Http.PutAsync(V1($"obs/buckets/{bucket}"), null))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var key = prefix + "/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            using var put = await Http.PutAsync(V1($"obs/buckets/{bucket}/objects/{key}"), content);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Imports and returns the model once its import ended (published or failed).</summary>
    public async Task<JsonNode> ImportAsync(string name, string version, string source)
    {
        var body = new JsonObject { ["model_name"] = name, ["model_version"] = version, ["source_location"] = source };
        var created = await SendAsync(HttpMethod.Post, V1("models"), body);
        var id = created["model_id"]!.GetValue<string>();
        return await WaitAsync(V1($"models/{id}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed");
    }

    /// <summary>Deploys a real-time service and returns it once running or failed.</summary>
    public async Task<JsonNode> DeployAsync(string name, string modelId, int instances = 1, JsonObject? envs = null)
    {
        var item = new JsonObject { ["model_id"] = modelId, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = instances };
        if (envs is not null)
        {
            item["envs"] = envs;
        }

        var created = await SendAsync(HttpMethod.Post, V1("services"), new JsonObject { ["service_name"] = name, ["infer_type"] = "real-time", ["config"] = new JsonArray(item) });
        return await WaitForStatusAsync(created["service_id"]!.GetValue<string>(), "running", "failed");
    }

    public Task<JsonNode> WaitForStatusAsync(string serviceId, params string[] statuses) =>
        WaitAsync(V1($"services/{serviceId}"), s => statuses.Contains(s["status"]!.GetValue<string>()));

    /// <summary>Polls a GET until <paramref name="done"/> (50 ms period, 2 min limit).</summary>
    public async Task<JsonNode> WaitAsync(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            var node = await SendAsync(HttpMethod.Get, path);
            if (done(node))
            {
                return node;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not reach the expected state: {node.ToJsonString()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends a call that must succeed (2xx) and returns its JSON body.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Sends a call and returns status and body whatever the status.</summary>
    public async Task<(HttpStatusCode Status, string Body)> TrySendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a JSON body (exact text) to a service's access address.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PredictJsonAsync(string accessAddress, string bodyText)
    {
        using var content = new StringContent(bodyText, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(accessAddress, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs files as multipart/form-data under <paramref name="field"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PredictFilesAsync(string accessAddress, string field, IEnumerable<string> files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(part, field, Path.GetFileName(file));
        }

        using var response = await Http.PostAsync(accessAddress, form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonArray> EventsAsync(string kind, string id)
    {
        var node = await SendAsync(HttpMethod.Get, V1($"{kind}/{id}/events?order=asc"));
        return node["events"]!.AsArray();
    }

    /// <summary>Stops the server (instances included) without deleting its data folder.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
