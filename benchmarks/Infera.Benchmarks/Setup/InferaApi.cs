using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Infera.Benchmarks.Setup;

/// <summary>
/// The public REST API of an Infera server, as the benchmarks drive it: log in as admin, upload a folder, import a
/// model and wait until it is published, deploy a real-time service and wait until it runs.
/// </summary>
internal sealed class InferaApi : IDisposable
{
    private readonly HttpClient _http;

    private InferaApi(HttpClient http, string token, string projectId)
    {
        _http = http;
        Token = token;
        ProjectId = projectId;
    }

    /// <summary>The token every call sends as <c>X-Auth-Token</c>.</summary>
    public string Token { get; }

    /// <summary>The admin's project.</summary>
    public string ProjectId { get; }

    /// <summary>Logs in as admin with the password of <paramref name="dataDirectory"/>.</summary>
    public static async Task<InferaApi> LoginAsync(Uri baseUri, string dataDirectory, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var password = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin-password"), cancellationToken)).Trim();
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
            using var response = await http.PostAsJsonAsync("/v3/auth/tokens", auth, cancellationToken);
            var body = await ExpectAsync(response, HttpStatusCode.Created, "POST /v3/auth/tokens", cancellationToken);
            var token = response.Headers.GetValues("X-Subject-Token").Single();
            http.DefaultRequestHeaders.Add("X-Auth-Token", token);
            var projectId = (string?)body["token"]?["project"]?["id"] ?? throw new InvalidOperationException("The token response has no token.project.id.");
            return new InferaApi(http, token, projectId);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Uploads every file under <paramref name="folder"/> to <c>obs://{bucket}/{prefix}/…</c> (the bucket is created).</summary>
    public async Task UploadFolderAsync(string folder, string bucket, string prefix, CancellationToken cancellationToken)
    {
        using (var response = await _http.PutAsync($"/v1/{ProjectId}/obs/buckets/{bucket}", null, cancellationToken))
        {
            await ExpectAsync(response, null, "PUT bucket", cancellationToken);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var key = prefix + "/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file, cancellationToken));
            using var response = await _http.PutAsync($"/v1/{ProjectId}/obs/buckets/{bucket}/objects/{key}", content, cancellationToken);
            await ExpectAsync(response, null, $"PUT object {key}", cancellationToken);
        }
    }

    /// <summary>Imports a model and waits until it is published; returns its id.</summary>
    public async Task<string> ImportAsync(string name, string version, string source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var model = new JsonObject { ["model_name"] = name, ["model_version"] = version, ["source_location"] = source };
        using var response = await _http.PostAsJsonAsync($"/v1/{ProjectId}/models", model, cancellationToken);
        var body = await ExpectAsync(response, null, "POST models", cancellationToken);
        var modelId = (string?)body["model_id"] ?? throw new InvalidOperationException("POST models answered no model_id.");
        await PollAsync($"/v1/{ProjectId}/models/{modelId}", "model_status", "published", timeout, cancellationToken);
        return modelId;
    }

    /// <summary>Deploys <paramref name="service"/> (a POST services body) and returns the service once it runs.</summary>
    public async Task<JsonNode> DeployAsync(JsonObject service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"/v1/{ProjectId}/services", service, cancellationToken);
        var body = await ExpectAsync(response, null, $"POST services ({service["service_name"]})", cancellationToken);
        var serviceId = (string?)body["service_id"] ?? throw new InvalidOperationException("POST services answered no service_id.");
        return await PollAsync($"/v1/{ProjectId}/services/{serviceId}", "status", "running", timeout, cancellationToken);
    }

    /// <summary>A one-version real-time service body: one instance of <paramref name="modelId"/> on the 2-vCPU flavor.</summary>
    public static JsonObject RealTime(string name, string modelId) => new()
    {
        ["service_name"] = name,
        ["infer_type"] = "real-time",
        ["config"] = new JsonArray(new JsonObject
        {
            ["model_id"] = modelId, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1,
        }),
    };

    /// <summary>GETs <paramref name="path"/> (absolute or relative) and returns its JSON body; it must answer 200.</summary>
    public async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        return await ExpectAsync(response, HttpStatusCode.OK, $"GET {path}", cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> PollAsync(string path, string field, string wanted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var last = "";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var body = await GetAsync(path, cancellationToken);
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
}
