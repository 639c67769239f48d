using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Infera.Client.Signing;

namespace Infera.Cli.Tests.Fakes;

/// <summary>
/// The authentication half of the fake: tokens, AK/SK signatures checked independently of the client (canonical
/// request rebuilt from what arrived), AppCodes, and in-memory IAM (users, projects, members, access keys,
/// accounts) and apps with service bindings, answering in the server's shapes.
/// </summary>
public sealed partial class FakeInferaBackend
{
    public const string AccessKeyId = "AKFAKE00000000000001";
    public const string SecretKey = "fake-secret-key-0123456789";
    public const string AdminUserId = "u1";
    public const string DomainId = "d1";

    public List<JsonObject> Users { get; } =
    [
        new() { ["id"] = AdminUserId, ["name"] = "admin", ["domain_id"] = DomainId, ["enabled"] = true, ["is_domain_owner"] = true, ["create_time"] = 1714550400000 },
    ];

    public List<JsonObject> Projects { get; } =
    [
        new() { ["id"] = ProjectId, ["name"] = "default", ["domain_id"] = DomainId, ["enabled"] = true, ["is_domain"] = false },
    ];

    public List<JsonObject> Domains { get; } = [new() { ["id"] = DomainId, ["name"] = "default", ["enabled"] = true }];

    public HashSet<(string Project, string User)> Members { get; } = [];

    /// <summary>Access keys by AK: the view (without secret) and the secret.</summary>
    public Dictionary<string, (JsonObject View, string Secret)> AccessKeys { get; } = new(StringComparer.Ordinal)
    {
        [AccessKeyId] = (new JsonObject { ["access"] = AccessKeyId, ["status"] = "active", ["user_id"] = AdminUserId, ["description"] = "", ["create_time"] = "2024-05-01T08:00:00.000000Z" }, SecretKey),
    };

    public List<JsonObject> Apps { get; } = [];

    /// <summary>Service id → bound app ids.</summary>
    public Dictionary<string, List<string>> Bindings { get; } = new(StringComparer.Ordinal);

    /// <summary>The AK of each request that was accepted by signature, in order.</summary>
    public List<string> SignedBy { get; } = [];

    private HttpResponseMessage? Authenticate(RecordedRequest r)
    {
        if (r.Headers.TryGetValue("X-Auth-Token", out var token) && token == Token)
        {
            return null;
        }

        if (r.Headers.TryGetValue("X-Apig-AppCode", out var code) && Regex.Match(r.Uri.AbsolutePath, "^/v1/infers/([^/]+)").Groups[1].Value is { Length: > 0 } serviceId)
        {
            var app = Apps.FirstOrDefault(a => a["app_codes"]!.AsArray().Any(c => (string?)c!["app_code"] == code));
            if (app is null)
            {
                return Json(HttpStatusCode.Unauthorized, """{"error_code":"APIG.0303","error_msg":"Incorrect app authentication information: AppCode not found"}""");
            }

            return Bindings.GetValueOrDefault(serviceId)?.Contains((string)app["app_id"]!) == true
                ? null
                : Json(HttpStatusCode.Forbidden, """{"error_code":"APIG.0304","error_msg":"The app is not authorized to access the service"}""");
        }

        if (r.Headers.TryGetValue("Authorization", out var authorization) && authorization.StartsWith(ApigSignature.Algorithm + " ", StringComparison.Ordinal))
        {
            return VerifySignature(r, authorization);
        }

        return Json(HttpStatusCode.Unauthorized, """{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: decrypt token fail","request_id":"r1"}""");
    }

    /// <summary>Rebuilds the canonical request from the request as received and compares signatures (spec/auth.md §4).</summary>
    private HttpResponseMessage? VerifySignature(RecordedRequest r, string authorization)
    {
        var fields = authorization[(ApigSignature.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var access = fields.GetValueOrDefault("Access") ?? string.Empty;
        if (!AccessKeys.TryGetValue(access, out var key) || (string?)key.View["status"] != "active")
        {
            return Json(HttpStatusCode.Unauthorized, """{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: AK not found or inactive"}""");
        }

        var signedHeaders = fields.GetValueOrDefault("SignedHeaders") ?? string.Empty;
        var names = signedHeaders.Split(';');
        var canonicalHeaders = ApigSignature.CanonicalHeaders(names, name => name switch
        {
            "content-type" => r.ContentType is null ? null : [r.ContentType],
            "host" => [r.Uri.IsDefaultPort ? r.Uri.Host : r.Uri.Authority],
            _ => r.Headers.TryGetValue(name, out var value) ? [value] : null,
        });
        var date = r.Headers.GetValueOrDefault(ApigSignature.DateHeader) ?? string.Empty;
        var payloadHash = r.Headers.GetValueOrDefault(ApigSignature.ContentSha256Header) ?? ApigSignature.Sha256Hex(r.Body);
        if (canonicalHeaders is null || !names.Contains("x-sdk-date") || !names.Contains("host"))
        {
            return Json(HttpStatusCode.Unauthorized, """{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: signed headers missing"}""");
        }

        var canonical = ApigSignature.CanonicalRequest(r.Method, ApigSignature.CanonicalUri(r.Uri.AbsolutePath),
            ApigSignature.CanonicalQueryString(r.Uri.Query), canonicalHeaders, signedHeaders, payloadHash);
        var expected = ApigSignature.Sign(key.Secret, ApigSignature.StringToSign(date, canonical));
        if (expected != fields.GetValueOrDefault("Signature"))
        {
            return Json(HttpStatusCode.Unauthorized, """{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}""");
        }

        SignedBy.Add(access);
        return null;
    }

    private HttpResponseMessage? RouteIam(RecordedRequest r, string path, Dictionary<string, string> query)
    {
        if (!path.StartsWith("/v3/", StringComparison.Ordinal) && !path.StartsWith("/v3.0/", StringComparison.Ordinal))
        {
            return null;
        }

        var body = JsonBody(r);
        Match m;
        switch (r.Method, path)
        {
            case ("POST", "/v3/domains"):
            {
                var name = (string)body!["domain"]!["name"]!;
                if (Domains.Any(d => (string?)d["name"] == name))
                {
                    return Json(HttpStatusCode.Conflict, $$"""{"error_code":"IAM.0012","error_msg":"An account named {{name}} already exists."}""");
                }

                var domain = new JsonObject { ["id"] = "d" + NewId()[^4..], ["name"] = name, ["enabled"] = true };
                var project = new JsonObject { ["id"] = "p" + NewId()[^4..], ["name"] = (string?)body["project"]?["name"] ?? "default", ["domain_id"] = (string)domain["id"]!, ["enabled"] = true };
                var user = new JsonObject { ["id"] = "u" + NewId()[^4..], ["name"] = (string?)body["user"]?["name"] ?? "admin", ["domain_id"] = (string)domain["id"]!, ["enabled"] = true, ["is_domain_owner"] = true, ["create_time"] = 1 };
                Domains.Add(domain);
                return Json(HttpStatusCode.Created, new JsonObject { ["domain"] = domain.DeepClone(), ["project"] = project, ["user"] = user });
            }

            case ("GET", "/v3/domains"):
                return Json(HttpStatusCode.OK, new JsonObject { ["domains"] = Clone(Domains) });
            case ("POST", "/v3/projects"):
            {
                var name = (string?)body?["project"]?["name"];
                if (string.IsNullOrEmpty(name))
                {
                    return Json(HttpStatusCode.BadRequest, """{"error_code":"IAM.0011","error_msg":"project.name is required."}""");
                }

                var project = new JsonObject { ["id"] = "p" + NewId()[^12..], ["name"] = name, ["domain_id"] = DomainId, ["enabled"] = true, ["is_domain"] = false };
                Projects.Add(project);
                return Json(HttpStatusCode.Created, new JsonObject { ["project"] = project.DeepClone() });
            }

            case ("GET", "/v3/projects"):
                return Json(HttpStatusCode.OK, new JsonObject { ["projects"] = Clone(Projects) });
            case ("POST", "/v3/users"):
            {
                var user = body!["user"]!;
                var name = (string)user["name"]!;
                if (Users.Any(u => (string?)u["name"] == name))
                {
                    return Json(HttpStatusCode.Conflict, $$"""{"error_code":"IAM.0012","error_msg":"A user named {{name}} already exists."}""");
                }

                var created = new JsonObject
                {
                    ["id"] = "u" + NewId()[^12..], ["name"] = name, ["domain_id"] = DomainId, ["enabled"] = true,
                    ["is_domain_owner"] = (bool?)user["is_domain_owner"] ?? false, ["create_time"] = 1714550400000, ["_password"] = (string?)user["password"],
                };
                Users.Add(created);
                return Json(HttpStatusCode.Created, new JsonObject { ["user"] = PublicUser(created) });
            }

            case ("GET", "/v3/users"):
                return Json(HttpStatusCode.OK, new JsonObject { ["users"] = new JsonArray(Users.Select(u => (JsonNode)PublicUser(u)).ToArray()) });
            case ("GET" or "PATCH", _) when (m = Regex.Match(path, "^/v3/users/([^/]+)$")).Success:
            {
                var user = Users.FirstOrDefault(u => (string?)u["id"] == m.Groups[1].Value);
                if (user is null)
                {
                    return Json(HttpStatusCode.NotFound, $$"""{"error_code":"IAM.0004","error_msg":"User {{m.Groups[1].Value}} does not exist."}""");
                }

                if (r.Method == "PATCH" && body?["user"]?["enabled"] is JsonValue enabled)
                {
                    user["enabled"] = enabled.GetValue<bool>();
                }

                return Json(HttpStatusCode.OK, new JsonObject { ["user"] = PublicUser(user) });
            }

            case ("PUT" or "DELETE", _) when (m = Regex.Match(path, "^/v3/projects/([^/]+)/users/([^/]+)/roles/member$")).Success:
            {
                var pair = (m.Groups[1].Value, m.Groups[2].Value);
                if (Projects.All(p => (string?)p["id"] != pair.Item1) || Users.All(u => (string?)u["id"] != pair.Item2))
                {
                    return Json(HttpStatusCode.NotFound, """{"error_code":"IAM.0004","error_msg":"Project or user does not exist."}""");
                }

                if (r.Method == "PUT")
                {
                    Members.Add(pair);
                }
                else if (!Members.Remove(pair))
                {
                    return Json(HttpStatusCode.NotFound, """{"error_code":"IAM.0004","error_msg":"Membership does not exist."}""");
                }

                return new HttpResponseMessage(HttpStatusCode.NoContent);
            }

            case ("POST", "/v3.0/OS-CREDENTIAL/credentials"):
            {
                var access = "AK" + NewId()[^12..].Replace("-", "", StringComparison.Ordinal).PadLeft(18, '0');
                var secret = "SK" + Guid.NewGuid().ToString("N");
                var view = new JsonObject
                {
                    ["access"] = access, ["status"] = "active", ["user_id"] = (string?)body?["credential"]?["user_id"] ?? AdminUserId,
                    ["description"] = (string?)body?["credential"]?["description"] ?? "", ["create_time"] = "2024-05-01T08:00:00.000000Z",
                };
                AccessKeys[access] = (view, secret);
                var answer = view.DeepClone().AsObject();
                answer["secret"] = secret;
                return Json(HttpStatusCode.Created, new JsonObject { ["credential"] = answer });
            }

            case ("GET", "/v3.0/OS-CREDENTIAL/credentials"):
            {
                var owner = query.GetValueOrDefault("user_id") ?? AdminUserId;
                return Json(HttpStatusCode.OK, new JsonObject { ["credentials"] = Clone(AccessKeys.Values.Select(k => k.View).Where(v => (string?)v["user_id"] == owner)) });
            }

            case ("GET" or "PUT" or "DELETE", _) when (m = Regex.Match(path, "^/v3.0/OS-CREDENTIAL/credentials/([^/]+)$")).Success:
            {
                if (!AccessKeys.TryGetValue(m.Groups[1].Value, out var key))
                {
                    return Json(HttpStatusCode.NotFound, $$"""{"error_code":"IAM.0004","error_msg":"Access key {{m.Groups[1].Value}} does not exist."}""");
                }

                if (r.Method == "DELETE")
                {
                    AccessKeys.Remove(m.Groups[1].Value);
                    return new HttpResponseMessage(HttpStatusCode.NoContent);
                }

                if (r.Method == "PUT" && (string?)body?["credential"]?["status"] is { } status)
                {
                    key.View["status"] = status;
                }

                return Json(HttpStatusCode.OK, new JsonObject { ["credential"] = key.View.DeepClone() });
            }

            default:
                return Json(HttpStatusCode.NotFound, """{"error_code":"APIG.0101","error_msg":"The API does not exist"}""");
        }
    }

    private HttpResponseMessage? RouteApps(RecordedRequest r, string path)
    {
        var body = JsonBody(r);
        Match m;
        if (path == "/app-auth/apps" && r.Method == "POST")
        {
            var name = (string?)body?["app_name"];
            if (name is null || !Regex.IsMatch(name, "^[A-Za-z][A-Za-z0-9_]{2,63}$"))
            {
                return Json(HttpStatusCode.BadRequest, """{"error_code":"ModelArts.0101","error_msg":"Invalid app_name."}""");
            }

            var app = new JsonObject
            {
                ["app_id"] = NewId(), ["app_name"] = name, ["app_remark"] = (string?)body!["app_remark"] ?? "", ["app_key"] = Guid.NewGuid().ToString("N"),
                ["app_secret"] = Guid.NewGuid().ToString("N"), ["app_codes"] = new JsonArray(), ["app_type"] = "APIG", ["bounded_api_count"] = 0,
                ["bound_services"] = new JsonArray(), ["created_at"] = 1714550400000, ["updated_at"] = 1714550400000, ["user_id"] = AdminUserId, ["project_id"] = ProjectId,
            };
            Apps.Add(app);
            return Json(HttpStatusCode.OK, new JsonObject { ["app"] = app.DeepClone() });
        }

        if (path == "/app-auth/apps" && r.Method == "GET")
        {
            return Json(HttpStatusCode.OK, new JsonObject { ["total"] = Apps.Count, ["apps"] = Clone(Apps) });
        }

        if ((m = Regex.Match(path, "^/app-auth/apps/([^/]+)(/app-secret|/app-code(?:/([^/]+))?)?$")).Success)
        {
            var app = Apps.FirstOrDefault(a => (string?)a["app_id"] == m.Groups[1].Value);
            if (app is null)
            {
                return Json(HttpStatusCode.NotFound, $$"""{"error_code":"ModelArts.0203","error_msg":"App {{m.Groups[1].Value}} does not exist."}""");
            }

            switch (r.Method, m.Groups[2].Value)
            {
                case ("GET", ""):
                    return Json(HttpStatusCode.OK, new JsonObject { ["app"] = app.DeepClone() });
                case ("DELETE", ""):
                    Apps.Remove(app);
                    foreach (var list in Bindings.Values)
                    {
                        list.Remove((string)app["app_id"]!);
                    }

                    return Json(HttpStatusCode.OK, "{}");
                case ("PUT", "/app-secret"):
                    app["app_secret"] = Guid.NewGuid().ToString("N");
                    return Json(HttpStatusCode.OK, new JsonObject { ["app"] = app.DeepClone() });
                case ("POST", "/app-code"):
                    var code = new JsonObject { ["id"] = NewId(), ["app_code"] = (string?)body?["app_code"] ?? "code-" + Guid.NewGuid().ToString("N"), ["create_time"] = 1714550400000 };
                    app["app_codes"]!.AsArray().Add(code);
                    return Json(HttpStatusCode.OK, new JsonObject { ["app_code"] = code.DeepClone() });
                case ("DELETE", _) when m.Groups[3].Success:
                    var codes = app["app_codes"]!.AsArray();
                    var found = codes.FirstOrDefault(c => (string?)c!["id"] == m.Groups[3].Value);
                    if (found is null)
                    {
                        return Json(HttpStatusCode.NotFound, """{"error_code":"ModelArts.0203","error_msg":"AppCode does not exist."}""");
                    }

                    codes.Remove(found);
                    return Json(HttpStatusCode.OK, "{}");
            }
        }

        if ((m = Regex.Match(path, "^/services/([^/]+)/(app-auth-api|api-auths)(?:/([^/]+))?$")).Success)
        {
            var service = Services.FirstOrDefault(s => (string?)s["service_id"] == m.Groups[1].Value);
            if (service is null)
            {
                return Json(HttpStatusCode.NotFound, """{"error_code":"ModelArts.3502","error_msg":"Service does not exist."}""");
            }

            var serviceId = (string)service["service_id"]!;
            if (!Bindings.TryGetValue(serviceId, out var bound))
            {
                Bindings[serviceId] = bound = [];
            }

            if (r.Method == "POST" && m.Groups[2].Value == "app-auth-api")
            {
                foreach (var id in body!["apps"]!.AsArray().Select(a => (string)a!["app_id"]!))
                {
                    if (Apps.All(a => (string?)a["app_id"] != id))
                    {
                        return Json(HttpStatusCode.NotFound, $$"""{"error_code":"ModelArts.0203","error_msg":"App {{id}} does not exist."}""");
                    }

                    if (!bound.Contains(id))
                    {
                        bound.Add(id);
                    }
                }

                service["app_auth"] = true;
            }
            else if (r.Method == "DELETE" && m.Groups[3].Success && !bound.Remove(m.Groups[3].Value))
            {
                return Json(HttpStatusCode.NotFound, """{"error_code":"ModelArts.0203","error_msg":"The app is not bound to the service."}""");
            }

            return Json(HttpStatusCode.OK, new JsonObject
            {
                ["service_id"] = serviceId,
                ["app_auth"] = (bool?)service["app_auth"] ?? false,
                ["apps"] = new JsonArray(bound.Select(id => Apps.First(a => (string?)a["app_id"] == id))
                    .Select(a => (JsonNode)new JsonObject { ["app_id"] = (string?)a["app_id"], ["app_name"] = (string?)a["app_name"], ["app_key"] = (string?)a["app_key"] }).ToArray()),
            });
        }

        return null;
    }

    private static JsonNode? JsonBody(RecordedRequest r) =>
        r.Body.Length > 0 && r.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? JsonNode.Parse(r.Body) : null;

    private static JsonObject PublicUser(JsonObject user)
    {
        var copy = user.DeepClone().AsObject();
        copy.Remove("_password");
        return copy;
    }

    private static JsonArray Clone(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode)i.DeepClone()).ToArray());
}
