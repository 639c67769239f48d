using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests.Batch;

/// <summary>Deploying batch services and reading their outputs through the REST API, as a client would.</summary>
internal static class BatchHelpers
{
    public static JsonObject BatchBody(string name, string modelId, string src, string dest, int instances = 1, Action<JsonObject>? configure = null)
    {
        var item = new JsonObject
        {
            ["model_id"] = modelId,
            ["specification"] = "modelarts.vm.cpu.2u",
            ["instance_count"] = instances,
            ["src_path"] = src,
            ["dest_path"] = dest,
        };
        configure?.Invoke(item);
        return new JsonObject { ["service_name"] = name, ["infer_type"] = "batch", ["config"] = new JsonArray(item) };
    }

    /// <summary>Registers <paramref name="options"/> with 127.0.0.1 on the URL allow-list, so manifests may name a <see cref="LoopbackHttpServer"/>.</summary>
    public static Action<IServiceCollection> AllowLoopbackDownloads(Infera.Server.Batch.BatchOptions options) => services =>
    {
        options.UrlAllowList.Add("127.0.0.1");
        services.AddSingleton(options);
    };

    public static async Task<string> DeployAsync(TestServer server, JsonObject body)
    {
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), body);
        return created["service_id"]!.GetValue<string>();
    }

    public static async Task PutObjectAsync(TestServer server, string bucket, string key, byte[] content)
    {
        using (var created = await server.Http.PutAsync(server.V1($"obs/buckets/{bucket}"), null))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using var body = new ByteArrayContent(content);
        using var put = await server.Http.PutAsync(server.V1($"obs/buckets/{bucket}/objects/{key}"), body);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    public static Task PutTextAsync(TestServer server, string bucket, string key, string text) => PutObjectAsync(server, bucket, key, Encoding.UTF8.GetBytes(text));

    public static async Task<string> GetTextAsync(TestServer server, string bucket, string key)
    {
        using var response = await server.Http.GetAsync(server.V1($"obs/buckets/{bucket}/objects/{key}"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"obs://{bucket}/{key}: {(int)response.StatusCode} {text}");
        return text;
    }

    public static async Task<List<string>> ListKeysAsync(TestServer server, string bucket, string prefix)
    {
        var listing = await server.SendAsync(HttpMethod.Get, server.V1($"obs/buckets/{bucket}/objects?prefix={Uri.EscapeDataString(prefix)}&limit=1000"));
        return listing["objects"]!.AsArray().Select(o => o!["key"]!.GetValue<string>()).ToList();
    }

    /// <summary>Reads the result manifest lines of a task (all continuation files, in order).</summary>
    public static async Task<List<JsonObject>> ManifestAsync(TestServer server, string bucket, string prefix, string taskId)
    {
        var lines = new List<JsonObject>();
        var keys = await ListKeysAsync(server, bucket, prefix);
        for (var i = 0; ; i++)
        {
            var key = i == 0 ? $"{prefix}infer-result-{taskId}.manifest" : $"{prefix}infer-result-{taskId}_{i}.manifest";
            if (!keys.Contains(key))
            {
                break;
            }

            var text = await GetTextAsync(server, bucket, key);
            lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()));
        }

        return lines;
    }

    /// <summary>Reads the object an <c>inference-loc</c> names.</summary>
    public static Task<string> ReadLocationAsync(TestServer server, string location)
    {
        Assert.StartsWith("obs://", location, StringComparison.Ordinal);
        var rest = location["obs://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return GetTextAsync(server, rest[..slash], rest[(slash + 1)..]);
    }

    public static string Text(JsonNode? node, string name) => node![name]!.GetValue<string>();

    public static async Task<string> ErrorAsync(TestServer server, JsonObject body, string expectedCode)
    {
        var (status, text) = await server.TrySendAsync(HttpMethod.Post, server.V1("services"), body);
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)status} {text}");
        var error = JsonNode.Parse(text)!;
        Assert.Equal(expectedCode, error["error_code"]!.GetValue<string>());
        return error["error_msg"]!.GetValue<string>();
    }
}
