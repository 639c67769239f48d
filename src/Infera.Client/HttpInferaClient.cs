using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Infera.Client.Apps;
using Infera.Client.Iam;
using Infera.Client.Inference;
using Infera.Client.Internal;
using Infera.Client.Models;
using Infera.Client.Obs;
using Infera.Client.Services;
using Infera.Client.Signing;

namespace Infera.Client;

/// <summary>The HTTP implementation of <see cref="InferaClient"/>; created by <see cref="InferaClientBuilder"/>.</summary>
internal sealed class HttpInferaClient : InferaClient
{
    /// <summary>A token is renewed this long before it expires.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly HttpClient http;
    private readonly bool ownsHttpClient;
    private readonly string baseAddress;
    private readonly InferaCredentials? credentials;
    private readonly ApigSigner? signer;
    private readonly TimeProvider timeProvider;
    private readonly SemaphoreSlim tokenGate = new(1, 1);
    private string? token;
    private string? projectId;
    private DateTimeOffset? tokenExpiresAt;

    public HttpInferaClient(
        Uri endpoint, HttpClient http, bool ownsHttpClient, string? token, string? projectId, InferaCredentials? credentials, ApigSigner? signer, TimeProvider timeProvider)
    {
        Endpoint = endpoint;
        this.http = http;
        this.ownsHttpClient = ownsHttpClient;
        baseAddress = endpoint.ToString().TrimEnd('/');
        this.token = token;
        this.projectId = projectId;
        this.credentials = credentials;
        this.signer = signer;
        this.timeProvider = timeProvider;
    }

    public override Uri Endpoint { get; }

    public override async Task<InferaToken> CreateTokenAsync(string domain, string user, string password, string? projectName, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["auth"] = new Dictionary<string, object>
            {
                ["identity"] = new Dictionary<string, object>
                {
                    ["methods"] = new[] { "password" },
                    ["password"] = new { user = new { name = user, password, domain = new { name = domain } } },
                },
                ["scope"] = new { project = new { name = projectName ?? domain } },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/v3/auth/tokens?nocatalog=true"))
        {
            Content = JsonContent.Create(body, options: InferaJson.Options),
        };
        return await SendAsync(request, authenticate: false, async (response, ct) =>
        {
            var value = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.FirstOrDefault() : null;
            var parsed = await response.Content.ReadFromJsonAsync<TokenResponse>(InferaJson.Options, ct);
            if (string.IsNullOrEmpty(value) || parsed?.Token?.Project?.Id is not { Length: > 0 } id)
            {
                throw new InferaClientException("the token response has no X-Subject-Token header or no project id");
            }

            return new InferaToken
            {
                Token = value,
                ExpiresAt = parsed.Token.ExpiresAt,
                ProjectId = id,
                ProjectName = parsed.Token.Project.Name,
                UserId = parsed.Token.User?.Id,
                UserName = parsed.Token.User?.Name,
                DomainName = parsed.Token.User?.Domain?.Name,
            };
        }, cancellationToken);
    }

    public override async Task<CreatedAccount> CreateAccountAsync(
        string name, string? projectName, string? adminName, string adminPassword, CancellationToken cancellationToken)
    {
        var body = new
        {
            domain = new { name },
            project = projectName is null ? null : new { name = projectName },
            user = new { name = adminName, password = adminPassword },
        };
        return await SendJsonAsync<CreatedAccount>(HttpMethod.Post, _ => "/v3/domains", body, cancellationToken, projectScoped: false);
    }

    public override async Task<IReadOnlyList<IamDomain>> ListAccountsAsync(CancellationToken cancellationToken) =>
        await SendEnvelopeAsync<List<IamDomain>>(HttpMethod.Get, _ => "/v3/domains", null, "domains", cancellationToken, projectScoped: false);

    public override Task<IamProject> CreateProjectAsync(string name, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<IamProject>(HttpMethod.Post, _ => "/v3/projects", new { project = new { name } }, "project", cancellationToken, projectScoped: false);

    public override async Task<IReadOnlyList<IamProject>> ListProjectsAsync(CancellationToken cancellationToken) =>
        await SendEnvelopeAsync<List<IamProject>>(HttpMethod.Get, _ => "/v3/projects", null, "projects", cancellationToken, projectScoped: false);

    public override Task<IamUser> CreateUserAsync(string name, string password, bool isDomainOwner, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<IamUser>(HttpMethod.Post, _ => "/v3/users", new { user = new { name, password, is_domain_owner = isDomainOwner } }, "user", cancellationToken, projectScoped: false);

    public override async Task<IReadOnlyList<IamUser>> ListUsersAsync(CancellationToken cancellationToken) =>
        await SendEnvelopeAsync<List<IamUser>>(HttpMethod.Get, _ => "/v3/users", null, "users", cancellationToken, projectScoped: false);

    public override Task<IamUser> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<IamUser>(HttpMethod.Get, _ => $"/v3/users/{Escape(userId)}", null, "user", cancellationToken, projectScoped: false);

    public override Task<IamUser> UpdateUserAsync(string userId, bool? enabled, string? password, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<IamUser>(HttpMethod.Patch, _ => $"/v3/users/{Escape(userId)}", new { user = new { enabled, password } }, "user", cancellationToken, projectScoped: false);

    public override Task SetProjectMemberAsync(string projectId, string userId, bool member, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(member ? HttpMethod.Put : HttpMethod.Delete, _ => $"/v3/projects/{Escape(projectId)}/users/{Escape(userId)}/roles/member", null, cancellationToken, projectScoped: false);

    public override Task<AccessKey> CreateAccessKeyAsync(string? userId, string? description, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<AccessKey>(HttpMethod.Post, _ => CredentialsPath, new { credential = new { user_id = userId, description } }, "credential", cancellationToken, projectScoped: false);

    public override async Task<IReadOnlyList<AccessKey>> ListAccessKeysAsync(string? userId, CancellationToken cancellationToken) =>
        await SendEnvelopeAsync<List<AccessKey>>(HttpMethod.Get, _ => CredentialsPath + Query(("user_id", userId)), null, "credentials", cancellationToken, projectScoped: false);

    public override Task<AccessKey> GetAccessKeyAsync(string access, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<AccessKey>(HttpMethod.Get, _ => $"{CredentialsPath}/{Escape(access)}", null, "credential", cancellationToken, projectScoped: false);

    public override Task<AccessKey> SetAccessKeyStatusAsync(string access, bool active, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<AccessKey>(HttpMethod.Put, _ => $"{CredentialsPath}/{Escape(access)}", new { credential = new { status = active ? "active" : "inactive" } }, "credential", cancellationToken, projectScoped: false);

    public override Task DeleteAccessKeyAsync(string access, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, _ => $"{CredentialsPath}/{Escape(access)}", null, cancellationToken, projectScoped: false);

    // ---- Apps ----

    public override Task<InferaApp> CreateAppAsync(string name, string? remark, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<InferaApp>(HttpMethod.Post, p => $"{p}/app-auth/apps", new { app_name = name, app_remark = remark }, "app", cancellationToken);

    public override Task<AppList> ListAppsAsync(CancellationToken cancellationToken) =>
        SendJsonAsync<AppList>(HttpMethod.Get, p => $"{p}/app-auth/apps", null, cancellationToken);

    public override Task<InferaApp> GetAppAsync(string appId, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<InferaApp>(HttpMethod.Get, p => $"{p}/app-auth/apps/{Escape(appId)}", null, "app", cancellationToken);

    public override Task DeleteAppAsync(string appId, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/app-auth/apps/{Escape(appId)}", null, cancellationToken);

    public override Task<InferaApp> ResetAppSecretAsync(string appId, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<InferaApp>(HttpMethod.Put, p => $"{p}/app-auth/apps/{Escape(appId)}/app-secret", new { }, "app", cancellationToken);

    public override Task<AppCode> AddAppCodeAsync(string appId, string? code, CancellationToken cancellationToken) =>
        SendEnvelopeAsync<AppCode>(HttpMethod.Post, p => $"{p}/app-auth/apps/{Escape(appId)}/app-code", new { app_code = code }, "app_code", cancellationToken);

    public override Task DeleteAppCodeAsync(string appId, string codeId, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/app-auth/apps/{Escape(appId)}/app-code/{Escape(codeId)}", null, cancellationToken);

    public override Task<ServiceAppAuthorization> BindAppsAsync(string serviceId, IEnumerable<string> appIds, CancellationToken cancellationToken)
    {
        var apps = appIds.Select(id => new AppReference(id)).ToList();
        if (apps.Count == 0)
        {
            throw new ArgumentException("at least one app id is required", nameof(appIds));
        }

        return SendJsonAsync<ServiceAppAuthorization>(HttpMethod.Post, p => $"{p}/services/{Escape(serviceId)}/app-auth-api", new { apps }, cancellationToken);
    }

    public override Task<ServiceAppAuthorization> GetServiceAppsAsync(string serviceId, CancellationToken cancellationToken) =>
        SendJsonAsync<ServiceAppAuthorization>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/api-auths", null, cancellationToken);

    public override Task UnbindAppAsync(string serviceId, string appId, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/services/{Escape(serviceId)}/api-auths/{Escape(appId)}", null, cancellationToken);

    // ---- Object store ----

    public override Task CreateBucketAsync(string bucket, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Put, p => $"{p}/obs/buckets/{Escape(bucket)}", body: new { }, cancellationToken);

    public override async Task<IReadOnlyList<ObsBucket>> ListBucketsAsync(CancellationToken cancellationToken) =>
        (await SendJsonAsync<ObsBucketList>(HttpMethod.Get, p => $"{p}/obs/buckets", body: null, cancellationToken)).Buckets;

    public override Task DeleteBucketAsync(string bucket, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/obs/buckets/{Escape(bucket)}", body: null, cancellationToken);

    public override async Task<ObsPutResult> PutObjectAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        var path = await ProjectPathAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, Url($"{path}/obs/buckets/{Escape(bucket)}/objects/{ObsPaths.EscapeKey(key)}"))
        {
            Content = new NonDisposingStreamContent(content),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(request, authenticate: true, ReadJsonAsync<ObsPutResult>, cancellationToken);
    }

    public override async Task<Stream> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var path = await ProjectPathAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url($"{path}/obs/buckets/{Escape(bucket)}/objects/{ObsPaths.EscapeKey(key)}"));
        var response = await SendRawAsync(request, authenticate: true, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new ResponseStream(stream, response);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw ex is OperationCanceledException or IOException or HttpRequestException
                ? new InferaClientException($"reading obs://{bucket}/{key} failed: {ex.Message}", ex)
                : ex;
        }
    }

    public override Task<ObsObjectList> ListObjectsPageAsync(string bucket, ObsListQuery query, CancellationToken cancellationToken)
    {
        var queryString = Query(
            ("prefix", query.Prefix),
            ("delimiter", query.Delimiter),
            ("marker", query.Marker),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)));
        return SendJsonAsync<ObsObjectList>(HttpMethod.Get, p => $"{p}/obs/buckets/{Escape(bucket)}/objects{queryString}", body: null, cancellationToken);
    }

    public override Task DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/obs/buckets/{Escape(bucket)}/objects/{ObsPaths.EscapeKey(key)}", body: null, cancellationToken);

    // ---- Models ----

    public override Task<CreateModelResponse> CreateModelAsync(CreateModelRequest request, CancellationToken cancellationToken) =>
        SendJsonAsync<CreateModelResponse>(HttpMethod.Post, p => $"{p}/models", request, cancellationToken);

    public override Task<ModelList> ListModelsAsync(ModelListQuery? query, CancellationToken cancellationToken)
    {
        query ??= new ModelListQuery();
        var queryString = Query(
            ("model_name", query.ModelName),
            ("exact_match", query.ExactMatch is { } exact ? (exact ? "true" : "false") : null),
            ("model_version", query.ModelVersion),
            ("model_status", query.ModelStatus),
            ("model_type", query.ModelType),
            ("offset", query.Offset?.ToString(CultureInfo.InvariantCulture)),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("sort_by", query.SortBy),
            ("order", query.Order));
        return SendJsonAsync<ModelList>(HttpMethod.Get, p => $"{p}/models{queryString}", body: null, cancellationToken);
    }

    public override Task<ModelDetail> GetModelAsync(string modelId, CancellationToken cancellationToken) =>
        SendJsonAsync<ModelDetail>(HttpMethod.Get, p => $"{p}/models/{Escape(modelId)}", body: null, cancellationToken);

    public override Task<DeleteModelResult> DeleteModelAsync(string modelId, bool cascade, CancellationToken cancellationToken) =>
        SendJsonAsync<DeleteModelResult>(HttpMethod.Delete, p => $"{p}/models/{Escape(modelId)}{(cascade ? "?cascade=true" : string.Empty)}", body: null, cancellationToken);

    public override Task<InferaEventList> ListModelEventsAsync(string modelId, InferaEventQuery? query, CancellationToken cancellationToken) =>
        SendJsonAsync<InferaEventList>(HttpMethod.Get, p => $"{p}/models/{Escape(modelId)}/events{EventQuery(query)}", body: null, cancellationToken);

    public override Task<ModelVersionList> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken) =>
        SendJsonAsync<ModelVersionList>(HttpMethod.Get, p => $"{p}/models/{Escape(modelId)}/versions", body: null, cancellationToken);

    public override Task<CreateModelResponse> CreateModelVersionAsync(string modelId, CreateModelVersionRequest? request, CancellationToken cancellationToken) =>
        SendJsonAsync<CreateModelResponse>(HttpMethod.Post, p => $"{p}/models/{Escape(modelId)}/versions", request ?? new CreateModelVersionRequest(), cancellationToken);

    public override Task<ModelTemplateList> ListModelTemplatesAsync(ModelTemplateQuery? query, CancellationToken cancellationToken)
    {
        query ??= new ModelTemplateQuery();
        var queryString = Query(
            ("type", query.Type),
            ("engine", query.Engine),
            ("environment", query.Environment),
            ("keyword", query.Keyword),
            ("offset", query.Offset?.ToString(CultureInfo.InvariantCulture)),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)));
        return SendJsonAsync<ModelTemplateList>(HttpMethod.Get, p => $"{p}/models/templates{queryString}", body: null, cancellationToken);
    }

    // ---- Services ----

    public override Task<CreateServiceResponse> CreateServiceAsync(CreateServiceRequest request, CancellationToken cancellationToken) =>
        SendJsonAsync<CreateServiceResponse>(HttpMethod.Post, p => $"{p}/services", request, cancellationToken);

    public override Task<ServiceList> ListServicesAsync(ServiceListQuery? query, CancellationToken cancellationToken)
    {
        query ??= new ServiceListQuery();
        var queryString = Query(
            ("service_id", query.ServiceId),
            ("service_name", query.ServiceName),
            ("model_id", query.ModelId),
            ("status", query.Status),
            ("infer_type", query.InferType),
            ("offset", query.Offset?.ToString(CultureInfo.InvariantCulture)),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("sort_by", query.SortBy),
            ("order", query.Order));
        return SendJsonAsync<ServiceList>(HttpMethod.Get, p => $"{p}/services{queryString}", body: null, cancellationToken);
    }

    public override Task<ServiceDetail> GetServiceAsync(string serviceId, CancellationToken cancellationToken) =>
        SendJsonAsync<ServiceDetail>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}", body: null, cancellationToken);

    public override Task UpdateServiceAsync(string serviceId, UpdateServiceRequest request, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Put, p => $"{p}/services/{Escape(serviceId)}", request, cancellationToken);

    public override Task DeleteServicesAsync(IEnumerable<string> serviceIds, CancellationToken cancellationToken)
    {
        var ids = string.Join(',', serviceIds.Select(Escape));
        if (ids.Length == 0)
        {
            throw new ArgumentException("at least one service id is required", nameof(serviceIds));
        }

        return SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/services/{ids}", body: null, cancellationToken);
    }

    public override Task<InferaEventList> ListServiceEventsAsync(string serviceId, InferaEventQuery? query, CancellationToken cancellationToken) =>
        SendJsonAsync<InferaEventList>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/events{EventQuery(query)}", body: null, cancellationToken);

    public override Task RestartServiceAsync(string serviceId, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Post, p => $"{p}/services/{Escape(serviceId)}/restart", body: null, cancellationToken);

    public override Task<ServiceInstanceList> ListServiceInstancesAsync(string serviceId, CancellationToken cancellationToken) =>
        SendJsonAsync<ServiceInstanceList>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/instances", body: null, cancellationToken);

    public override Task DeleteServiceInstanceAsync(string serviceId, string instanceId, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/services/{Escape(serviceId)}/instances/{Escape(instanceId)}", body: null, cancellationToken);

    public override Task<ServiceSpecificationList> ListSpecificationsAsync(CancellationToken cancellationToken) =>
        SendJsonAsync<ServiceSpecificationList>(HttpMethod.Get, p => $"{p}/services/specifications", body: null, cancellationToken);

    public override Task<ServiceUpdateLogList> ListServiceUpdateLogsAsync(string serviceId, CancellationToken cancellationToken) =>
        SendJsonAsync<ServiceUpdateLogList>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/logs", body: null, cancellationToken);

    /// <inheritdoc />
    public override Task<Observability.InstanceLogList> ListInstanceLogsAsync(string serviceId, Observability.InstanceLogQuery? query, CancellationToken cancellationToken) =>
        SendJsonAsync<Observability.InstanceLogList>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/instance-logs" + (query is null ? string.Empty : Query(
            ("instance_id", query.InstanceId), ("model_id", query.ModelId), ("last", query.Last),
            ("start_time", query.StartTime?.ToString(CultureInfo.InvariantCulture)), ("end_time", query.EndTime?.ToString(CultureInfo.InvariantCulture)),
            ("query", query.Query), ("offset", query.Offset?.ToString(CultureInfo.InvariantCulture)),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)), ("order", query.Order))), body: null, cancellationToken);

    /// <inheritdoc />
    public override Task<Observability.ServiceMetrics> GetServiceMetricsAsync(string serviceId, Observability.ServiceMetricsQuery? query, CancellationToken cancellationToken) =>
        SendJsonAsync<Observability.ServiceMetrics>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/metrics" + (query is null ? string.Empty : Query(
            ("model_id", query.ModelId), ("last", query.Last), ("start_time", query.StartTime?.ToString(CultureInfo.InvariantCulture)),
            ("end_time", query.EndTime?.ToString(CultureInfo.InvariantCulture)))), body: null, cancellationToken);

    /// <inheritdoc />
    public override Task<Observability.AlarmRule> CreateAlarmAsync(string serviceId, Observability.CreateAlarmRequest request, CancellationToken cancellationToken) =>
        SendJsonAsync<Observability.AlarmRule>(HttpMethod.Post, p => $"{p}/services/{Escape(serviceId)}/alarms", request, cancellationToken);

    /// <inheritdoc />
    public override Task<Observability.AlarmList> ListAlarmsAsync(string serviceId, CancellationToken cancellationToken) =>
        SendJsonAsync<Observability.AlarmList>(HttpMethod.Get, p => $"{p}/services/{Escape(serviceId)}/alarms", body: null, cancellationToken);

    /// <inheritdoc />
    public override Task DeleteAlarmAsync(string serviceId, string alarmId, CancellationToken cancellationToken) =>
        SendJsonAsync<JsonElement>(HttpMethod.Delete, p => $"{p}/services/{Escape(serviceId)}/alarms/{Escape(alarmId)}", body: null, cancellationToken);

    // ---- Inference ----

    public override async Task<PredictResponse> PredictAsync(PredictRequest request, CancellationToken cancellationToken)
    {
        if (request.Json is not null && request.Files is { Count: > 0 })
        {
            throw new ArgumentException("send either a JSON body or files, not both", nameof(request));
        }

        var address = request.AccessAddress?.ToString().TrimEnd('/') ?? $"{baseAddress}/v1/infers/{Escape(request.ServiceId)}";
        var subPath = string.IsNullOrEmpty(request.Path) ? string.Empty : "/" + request.Path.TrimStart('/');
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(address + subPath));
        var opened = new List<Stream>();
        try
        {
            if (request.Files is { Count: > 0 })
            {
                var form = new MultipartFormDataContent();
                foreach (var (field, value) in request.FormFields ?? [])
                {
                    form.Add(new StringContent(value), field);
                }

                foreach (var (field, path) in request.Files)
                {
                    var stream = File.OpenRead(path);
                    opened.Add(stream);
                    var part = new StreamContent(stream);
                    part.Headers.ContentType = new MediaTypeHeaderValue(GuessMediaType(path));
                    form.Add(part, field, Path.GetFileName(path));
                }

                message.Content = form;
            }
            else
            {
                message.Content = new StringContent(request.Json ?? "{}", Encoding.UTF8, "application/json");
            }

            if (request.AppCode is { Length: > 0 } appCode)
            {
                message.Headers.TryAddWithoutValidation("X-Apig-AppCode", appCode);
            }

            return await SendAsync(message, authenticate: request.AppCode is not { Length: > 0 }, async (response, ct) =>
            {
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                return new PredictResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
            }, cancellationToken, throwOnError: false);
        }
        finally
        {
            foreach (var stream in opened)
            {
                await stream.DisposeAsync();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            tokenGate.Dispose();
            if (ownsHttpClient)
            {
                http.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    // ---- plumbing ----

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static string EventQuery(InferaEventQuery? query) => query is null
        ? string.Empty
        : Query(
            ("event_type", query.EventType),
            ("event_info", query.EventInfo),
            ("start_time", query.StartTime?.ToString(CultureInfo.InvariantCulture)),
            ("end_time", query.EndTime?.ToString(CultureInfo.InvariantCulture)),
            ("offset", query.Offset?.ToString(CultureInfo.InvariantCulture)),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("order", query.Order));

    private static string GuessMediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".gif" => "image/gif",
        ".bmp" => "image/bmp",
        ".json" => "application/json",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        ".wav" => "audio/wav",
        _ => "application/octet-stream",
    };

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Some calls answer 200 with an empty body; treat it as an empty object.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            text = "{}";
        }

        try
        {
            return JsonSerializer.Deserialize<T>(text, InferaJson.Options)
                ?? throw new InferaClientException($"the server answered {(int)response.StatusCode} with a null body");
        }
        catch (JsonException ex)
        {
            throw new InferaClientException($"the server answered {(int)response.StatusCode} with a body that is not the expected JSON: {ex.Message}", ex);
        }
    }

    private const string CredentialsPath = "/v3.0/OS-CREDENTIAL/credentials";

    private Uri Url(string relative) => new(baseAddress + relative);

    private async Task<string> ProjectPathAsync(CancellationToken cancellationToken)
    {
        var (_, project) = await GetAuthAsync(cancellationToken);
        return $"/v1/{Escape(project)}";
    }

    private async Task<(string Token, string ProjectId)> GetAuthAsync(CancellationToken cancellationToken)
    {
        if (signer is not null)
        {
            return (string.Empty, projectId
                ?? throw new InvalidOperationException("the client signs with an access key but has no project id; use InferaClientBuilder.UseAccessKey(ak, sk, projectId)"));
        }

        if (credentials is null)
        {
            return token is not null && projectId is not null
                ? (token, projectId)
                : throw new InvalidOperationException("the client has no token and project id; configure them with InferaClientBuilder.UseToken or UseCredentials");
        }

        await tokenGate.WaitAsync(cancellationToken);
        try
        {
            if (token is null || projectId is null || tokenExpiresAt is null || tokenExpiresAt - RenewBefore <= timeProvider.GetUtcNow())
            {
                var issued = await CreateTokenAsync(credentials.Domain, credentials.User, credentials.Password, credentials.ProjectName, cancellationToken);
                (token, projectId, tokenExpiresAt) = (issued.Token, issued.ProjectId, issued.ExpiresAt);
            }

            return (token, projectId);
        }
        finally
        {
            tokenGate.Release();
        }
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, Func<string, string> path, object? body, CancellationToken cancellationToken, bool projectScoped = true)
    {
        // IAM paths (/v3…) have no project: an access-key client without a project id may call them.
        var projectPath = projectScoped ? await ProjectPathAsync(cancellationToken) : string.Empty;
        using var request = new HttpRequestMessage(method, Url(path(projectPath)));
        if (body is not null)
        {
            // A string body has a Content-Length (no chunking) and is hashed as is by the signer.
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), InferaJson.Options), Encoding.UTF8, "application/json");
        }

        return await SendAsync(request, authenticate: true, ReadJsonAsync<T>, cancellationToken);
    }

    /// <summary>Sends a call whose answer wraps the value in one field, e.g. <c>{"user":{…}}</c>, and returns that value.</summary>
    private async Task<T> SendEnvelopeAsync<T>(
        HttpMethod method, Func<string, string> path, object? body, string field, CancellationToken cancellationToken, bool projectScoped = true)
    {
        var answer = await SendJsonAsync<JsonElement>(method, path, body, cancellationToken, projectScoped);
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new InferaClientException($"the server's answer has no '{field}' field");
        }

        try
        {
            return value.Deserialize<T>(InferaJson.Options) ?? throw new InferaClientException($"the server's '{field}' field is null");
        }
        catch (JsonException ex)
        {
            throw new InferaClientException($"the server's '{field}' field is not the expected JSON: {ex.Message}", ex);
        }
    }

    private async Task<T> SendAsync<T>(
        HttpRequestMessage request,
        bool authenticate,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken,
        bool throwOnError = true)
    {
        using var response = await SendRawAsync(request, authenticate, HttpCompletionOption.ResponseContentRead, cancellationToken, throwOnError);
        try
        {
            return await read(response, cancellationToken);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw Wrap(request, ex);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(
        HttpRequestMessage request, bool authenticate, HttpCompletionOption completion, CancellationToken cancellationToken, bool throwOnError = true)
    {
        if (authenticate && signer is not null)
        {
            // SDK-HMAC-SHA256 (spec/auth.md §4); a stream body (object upload) goes as UNSIGNED-PAYLOAD.
            await signer.SignAsync(request, timeProvider.GetUtcNow(), cancellationToken);
        }
        else if (authenticate)
        {
            var (value, _) = await GetAuthAsync(cancellationToken);
            request.Headers.TryAddWithoutValidation("X-Auth-Token", value);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw Wrap(request, ex);
        }

        if (!throwOnError || response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
            {
                body = string.Empty;
            }

            var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
            throw InferaApiException.Parse(response.StatusCode, body, requestId);
        }
    }

    /// <summary>Transport failures get wrapped; the caller's own cancellation always propagates as is.</summary>
    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        OperationCanceledException => true, // HttpClient.Timeout
        HttpRequestException or IOException => true,
        _ => false,
    };

    private InferaClientException Wrap(HttpRequestMessage request, Exception ex) => ex is OperationCanceledException
        ? new InferaClientException($"{request.Method} {request.RequestUri?.AbsolutePath} timed out after {http.Timeout.TotalSeconds:0}s", ex)
        : new InferaClientException($"cannot reach {Endpoint}: {ex.Message}", ex);

    /// <summary>Stream content that leaves the caller's stream open: the caller owns it.</summary>
    private sealed class NonDisposingStreamContent(Stream stream) : StreamContent(new NonClosingStream(stream));

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>The body of a streamed download; disposing it releases the response.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Guard(() => inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
            {
                throw new InferaClientException($"the download broke off: {ex.Message}", ex);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }

        private static int Guard(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (IsTransportFailure(ex, CancellationToken.None))
            {
                throw new InferaClientException($"the download broke off: {ex.Message}", ex);
            }
        }
    }
}
