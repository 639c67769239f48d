using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Infera.Cli.Tests.Fakes;

/// <summary>
/// A hand-written in-memory stand-in for the Infera server: IAM tokens, the object store, models, services and
/// inference, answering with ModelArts-shaped bodies. It records every request.
/// </summary>
public sealed partial class FakeInferaBackend : HttpMessageHandler
{
    public const string Token = "tok-123";
    public const string ProjectId = "0123456789abcdef0123456789abcdef";

    private readonly Lock gate = new();
    private int nextId;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Dictionary<string, long> Buckets { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public List<JsonObject> Models { get; } = [];

    public List<JsonObject> Services { get; } = [];

    public Dictionary<string, List<JsonObject>> Events { get; } = [];

    /// <summary>Statuses a new model goes through, one per GET of the model; the last one sticks.</summary>
    public List<string> ModelStatusSequence { get; set; } = ["publishing", "published"];

    /// <summary>Statuses a new or restarted service goes through, one per GET; the last one sticks.</summary>
    public List<string> ServiceStatusSequence { get; set; } = ["deploying", "running"];

    /// <summary>Object list page size (to exercise paging).</summary>
    public int ObjectPageSize { get; set; } = 1000;

    /// <summary>The inference answer; default echoes the body with status 200.</summary>
    public Func<RecordedRequest, (int Status, string ContentType, string Body)> Infer { get; set; } =
        r => (200, "application/json", $$"""{"echo":{{(r.ContentType?.StartsWith("application/json") == true ? r.BodyText : "\"multipart\"")}}}""");

    /// <summary>When set, every request fails with this exception (transport failure).</summary>
    public Exception? Fail { get; set; }

    public DateTimeOffset TokenExpiresAt { get; set; } = DateTimeOffset.UtcNow.AddHours(24);

    public string NewId() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref nextId):D12}";

    public JsonObject AddModel(string name, string version, string status = "published", string type = "PyTorch", long createAt = 1)
    {
        var model = new JsonObject
        {
            ["model_id"] = NewId(), ["model_name"] = name, ["model_version"] = version, ["model_status"] = status,
            ["model_type"] = type, ["create_at"] = createAt, ["source_location"] = "obs://b/p/", ["_polls"] = 100,
        };
        lock (gate)
        {
            Models.Add(model);
        }

        return model;
    }

    public JsonObject AddService(string name, string status = "running")
    {
        var service = new JsonObject
        {
            ["service_id"] = NewId(), ["service_name"] = name, ["status"] = status, ["infer_type"] = "real-time", ["_polls"] = 100,
            ["config"] = new JsonArray(),
        };
        lock (gate)
        {
            Services.Add(service);
        }

        return service;
    }

    public void AddEvent(string id, string type, string info)
    {
        lock (gate)
        {
            if (!Events.TryGetValue(id, out var list))
            {
                Events[id] = list = [];
            }

            list.Add(new JsonObject { ["event_type"] = type, ["event_info"] = info, ["occur_time"] = 1714550500000 + list.Count });
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body, request.Content?.Headers.ContentType?.ToString());
        Requests.Enqueue(recorded);
        if (Fail is not null)
        {
            throw Fail;
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Route(recorded);
        }
    }

    private HttpResponseMessage Route(RecordedRequest r)
    {
        var path = r.Uri.AbsolutePath;
        var query = ParseQuery(r.Uri.Query);
        if (r.Method == "POST" && path == "/v3/auth/tokens")
        {
            return IssueToken(r);
        }

        if (Authenticate(r) is { } refused)
        {
            return refused;
        }

        if (RouteIam(r, path, query) is { } iamAnswer)
        {
            return iamAnswer;
        }

        Match m;
        if ((m = Regex.Match(path, "^/v1/infers/([^/]+)(/.*)?$")).Success)
        {
            var (status, contentType, text) = Infer(r);
            return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(text, Encoding.UTF8, contentType) };
        }

        var prefix = $"/v1/{ProjectId}";
        if (!path.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.Forbidden, """{"error_code":"ModelArts.0210","error_msg":"project mismatch"}""");
        }

        path = path[prefix.Length..];
        if (RouteApps(r, path) is { } appAnswer)
        {
            return appAnswer;
        }

        if (path == "/obs/buckets" && r.Method == "GET")
        {
            return Json(HttpStatusCode.OK, new JsonObject { ["buckets"] = new JsonArray(Buckets.Select(b => (JsonNode)new JsonObject { ["name"] = b.Key, ["create_at"] = b.Value }).ToArray()) });
        }

        if ((m = Regex.Match(path, "^/obs/buckets/([^/]+)$")).Success)
        {
            var bucket = Uri.UnescapeDataString(m.Groups[1].Value);
            if (r.Method == "PUT")
            {
                Buckets.TryAdd(bucket, 1714550400000);
                return Json(HttpStatusCode.OK, "{}");
            }

            if (!Buckets.ContainsKey(bucket))
            {
                return Json(HttpStatusCode.NotFound, """{"error_code":"ModelArts.0404","error_msg":"bucket not found"}""");
            }

            Buckets.Remove(bucket);
            return Json(HttpStatusCode.OK, "{}");
        }

        if ((m = Regex.Match(path, "^/obs/buckets/([^/]+)/objects$")).Success && r.Method == "GET")
        {
            return ListObjects(Uri.UnescapeDataString(m.Groups[1].Value), query);
        }

        if ((m = Regex.Match(path, "^/obs/buckets/([^/]+)/objects/(.+)$")).Success)
        {
            var bucket = Uri.UnescapeDataString(m.Groups[1].Value);
            var key = string.Join('/', m.Groups[2].Value.Split('/').Select(Uri.UnescapeDataString));
            if (!Buckets.ContainsKey(bucket))
            {
                return Json(HttpStatusCode.NotFound, """{"error_code":"ModelArts.0404","error_msg":"bucket not found"}""");
            }

            var full = bucket + "/" + key;
            switch (r.Method)
            {
                case "PUT":
                    Objects[full] = r.Body;
                    return Json(HttpStatusCode.OK, new JsonObject { ["bucket"] = bucket, ["key"] = key, ["size"] = r.Body.Length, ["etag"] = "e" });
                case "GET" when Objects.TryGetValue(full, out var bytes):
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
                case "DELETE" when Objects.Remove(full):
                    return Json(HttpStatusCode.OK, "{}");
                default:
                    return Json(HttpStatusCode.NotFound, $$"""{"error_code":"ModelArts.0404","error_msg":"object {{key}} not found"}""");
            }
        }

        if (path == "/models" && r.Method == "POST")
        {
            var request = JsonNode.Parse(r.Body)!.AsObject();
            var model = AddModel((string)request["model_name"]!, (string)request["model_version"]!, ModelStatusSequence[0], (string)request["model_type"]!);
            model["source_location"] = (string?)request["source_location"];
            model["_polls"] = 0;
            return Json(HttpStatusCode.OK, new JsonObject { ["model_id"] = (string)model["model_id"]! });
        }

        if (path == "/models" && r.Method == "GET")
        {
            var items = Models.Where(x =>
                (!query.TryGetValue("model_name", out var n) || (query.GetValueOrDefault("exact_match") == "true" ? (string)x["model_name"]! == n : ((string)x["model_name"]!).Contains(n, StringComparison.Ordinal)))
                && (!query.TryGetValue("model_version", out var v) || (string)x["model_version"]! == v)).Select(Public).ToArray();
            return Json(HttpStatusCode.OK, new JsonObject { ["total_count"] = items.Length, ["count"] = items.Length, ["models"] = new JsonArray(items) });
        }

        if ((m = Regex.Match(path, "^/models/([^/]+)(/events)?$")).Success)
        {
            var model = Models.FirstOrDefault(x => (string)x["model_id"]! == m.Groups[1].Value);
            if (model is null)
            {
                return Json(HttpStatusCode.NotFound, $$"""{"error_code":"ModelArts.3001","error_msg":"Model {{m.Groups[1].Value}} does not exist."}""");
            }

            if (m.Groups[2].Success)
            {
                return EventsOf((string)model["model_id"]!);
            }

            if (r.Method == "DELETE")
            {
                Models.Remove(model);
                return Json(HttpStatusCode.OK, new JsonObject { ["delete_success_list"] = new JsonArray((string)model["model_id"]!), ["delete_failed_list"] = new JsonArray() });
            }

            Advance(model, "model_status", ModelStatusSequence);
            return Json(HttpStatusCode.OK, Public(model));
        }

        if (path == "/services" && r.Method == "POST")
        {
            var request = JsonNode.Parse(r.Body)!.AsObject();
            if (Services.Any(s => (string)s["service_name"]! == (string)request["service_name"]!))
            {
                return Json(HttpStatusCode.Conflict, """{"error_code":"ModelArts.3503","error_msg":"Service name already exists."}""");
            }

            var service = AddService((string)request["service_name"]!, ServiceStatusSequence[0]);
            service["config"] = request["config"]!.DeepClone();
            service["_polls"] = 0;
            return Json(HttpStatusCode.OK, new JsonObject { ["service_id"] = (string)service["service_id"]!, ["resource_ids"] = new JsonArray() });
        }

        if (path == "/services" && r.Method == "GET")
        {
            var items = Services.Where(x => !query.TryGetValue("service_name", out var n) || ((string)x["service_name"]!).Contains(n, StringComparison.Ordinal)).Select(Public).ToArray();
            return Json(HttpStatusCode.OK, new JsonObject { ["total_count"] = items.Length, ["count"] = items.Length, ["services"] = new JsonArray(items) });
        }

        if ((m = Regex.Match(path, "^/services/([^/]+)(/events)?$")).Success)
        {
            var ids = m.Groups[1].Value.Split(',');
            var found = Services.Where(x => ids.Contains((string)x["service_id"]!)).ToList();
            if (found.Count != ids.Length)
            {
                return Json(HttpStatusCode.NotFound, """{"error_code":"ModelArts.3502","error_msg":"Service does not exist."}""");
            }

            var service = found[0];
            if (m.Groups[2].Success)
            {
                return EventsOf((string)service["service_id"]!);
            }

            switch (r.Method)
            {
                case "DELETE":
                    Services.RemoveAll(found.Contains);
                    return Json(HttpStatusCode.OK, "{}");
                case "PUT":
                    var status = (string?)JsonNode.Parse(r.Body)?["status"];
                    if (status == "stopped")
                    {
                        service["status"] = "stopped";
                        service["_polls"] = 100;
                    }
                    else if (status == "running")
                    {
                        service["status"] = ServiceStatusSequence[0];
                        service["_polls"] = 0;
                    }

                    return Json(HttpStatusCode.OK, "{}");
                default:
                    Advance(service, "status", ServiceStatusSequence);
                    var detail = Public(service);
                    detail["access_address"] = $"http://fake/v1/infers/{service["service_id"]}";
                    return Json(HttpStatusCode.OK, detail);
            }
        }

        return Json(HttpStatusCode.NotFound, """{"error_code":"APIG.0101","error_msg":"The API does not exist","request_id":"r2"}""");
    }

    private static void Advance(JsonObject item, string field, List<string> sequence)
    {
        var polls = (int)item["_polls"]!;
        if (polls < sequence.Count)
        {
            item[field] = sequence[polls];
            item["_polls"] = polls + 1;
        }
    }

    private static JsonObject Public(JsonObject item)
    {
        var copy = item.DeepClone().AsObject();
        copy.Remove("_polls");
        return copy;
    }

    private HttpResponseMessage EventsOf(string id)
    {
        var list = Events.GetValueOrDefault(id) ?? [];
        return Json(HttpStatusCode.OK, new JsonObject { ["total_count"] = list.Count, ["count"] = list.Count, ["events"] = new JsonArray(list.Select(e => (JsonNode)e.DeepClone()).ToArray()) });
    }

    private HttpResponseMessage ListObjects(string bucket, Dictionary<string, string> query)
    {
        var prefix = query.GetValueOrDefault("prefix") ?? string.Empty;
        var delimiter = query.GetValueOrDefault("delimiter");
        var marker = query.GetValueOrDefault("marker");
        var keys = Objects.Keys.Where(k => k.StartsWith(bucket + "/", StringComparison.Ordinal)).Select(k => k[(bucket.Length + 1)..])
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && (marker is null || string.CompareOrdinal(k, marker) > 0)).ToList();
        var objects = new JsonArray();
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        string? next = null;
        var count = 0;
        foreach (var key in keys)
        {
            if (count == ObjectPageSize)
            {
                next = keys[keys.IndexOf(key) - 1];
                break;
            }

            var rest = key[prefix.Length..];
            var cut = delimiter is null ? -1 : rest.IndexOf(delimiter, StringComparison.Ordinal);
            if (cut >= 0)
            {
                prefixes.Add(prefix + rest[..(cut + delimiter!.Length)]);
            }
            else
            {
                objects.Add(new JsonObject { ["key"] = key, ["size"] = Objects[bucket + "/" + key].Length, ["last_modified"] = 1714550400000, ["etag"] = "e" });
            }

            count++;
        }

        return Json(HttpStatusCode.OK, new JsonObject
        {
            ["bucket"] = bucket, ["prefix"] = prefix, ["objects"] = objects,
            ["common_prefixes"] = new JsonArray(prefixes.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()), ["next_marker"] = next,
        });
    }

    private HttpResponseMessage IssueToken(RecordedRequest r)
    {
        var body = JsonNode.Parse(r.Body)!;
        var user = body["auth"]!["identity"]!["password"]!["user"]!;
        if ((string?)user["password"] != "secret")
        {
            return Json(HttpStatusCode.Unauthorized, """{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}""");
        }

        var response = Json(HttpStatusCode.Created, new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["expires_at"] = TokenExpiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
                ["project"] = new JsonObject { ["id"] = ProjectId, ["name"] = (string?)body["auth"]!["scope"]!["project"]!["name"] },
                ["user"] = new JsonObject { ["id"] = "u1", ["name"] = (string?)user["name"], ["domain"] = new JsonObject { ["id"] = "d1", ["name"] = (string?)user["domain"]!["name"] } },
            },
        });
        response.Headers.Add("X-Subject-Token", Token);
        return response;
    }

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) => Json(status, body.ToJsonString());

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
