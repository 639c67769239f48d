using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Infera.Core;
using Infera.Core.Errors;
using Infera.Core.Identity;
using Infera.Server.Identity;
using Infera.Storage.Stores;

namespace Infera.Server.Apps;

/// <summary>
/// Apps for app authentication (seed 003 §3.1.4.2.3, spec/auth.md §9): create, list, show, reset the AppSecret,
/// delete; AppCodes (up to <see cref="AuthOptions.MaxAppCodes"/>) added, reset, deleted; bindings to services.
/// Apps belong to a project; another project's app id answers 404. Only the creator sees the plain secret and codes
/// and may reset them.
/// </summary>
public sealed partial class AppManager(AppStore apps, ServiceStore services, SecretProtector protector, AuthOptions options, TimeProvider time)
{
    /// <summary>Creates an app with a fresh AppKey (32 lower-case hex) and AppSecret.</summary>
    /// <param name="caller">The creator, in the app's project.</param>
    /// <param name="name">3–64 letters, Chinese characters, digits or <c>_</c>, starting with a letter or Chinese character.</param>
    /// <param name="remark">At most 200 characters.</param>
    /// <returns>The app view with its secret (shown to the creator).</returns>
    /// <exception cref="InferaException">400 for a bad name or remark, the quota, or a name taken in the project.</exception>
    public JsonObject Create(CallerIdentity caller, string? name, string? remark)
    {
        if (name is null || !AppNamePattern().IsMatch(name))
        {
            throw Errors.InvalidParameter("app_name", name, "3-64 letters, Chinese characters, digits or '_', starting with a letter or Chinese character.");
        }

        if (remark is { Length: > 200 })
        {
            throw Errors.InvalidParameter("app_remark", remark[..20] + "…", "at most 200 characters.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = Ids.NewUuid();
        var secret = Ids.NewHex32();
        var row = new AppStore.AppRow(id, caller.ProjectId, caller.UserId, name, remark ?? "", Ids.NewHex32(), protector.Protect(secret, "app:" + id), now, now);
        if (!apps.TryInsert(row, options.MaxAppsPerUser))
        {
            throw apps.CountByOwner(caller.UserId) >= options.MaxAppsPerUser
                ? new InferaException(400, "ModelArts.0101", $"App quota reached: a user may own at most {options.MaxAppsPerUser} apps; delete one first.")
                : new InferaException(409, "ModelArts.0101", $"An app named {name} already exists in this project.");
        }

        return View(caller, row);
    }

    /// <summary>The apps of the caller's project (secrets shown only for the caller's own apps).</summary>
    public JsonObject List(CallerIdentity caller)
    {
        var list = apps.List(caller.ProjectId);
        return new JsonObject
        {
            ["total"] = list.Count,
            ["apps"] = new JsonArray(list.Select(a => (JsonNode?)View(caller, a)).ToArray()),
        };
    }

    /// <summary>One app of the caller's project.</summary>
    /// <exception cref="InferaException">404 when the app is not in the caller's project.</exception>
    public JsonObject Get(CallerIdentity caller, string appId) => View(caller, Find(caller, appId));

    /// <summary>Replaces the AppSecret; the old one stops working at once (creator only).</summary>
    /// <exception cref="InferaException">404 unknown app, 403 when the caller is not the creator.</exception>
    public JsonObject ResetSecret(CallerIdentity caller, string appId)
    {
        var app = RequireOwner(caller, appId, "reset its AppSecret");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        apps.SetSecret(app.Id, protector.Protect(Ids.NewHex32(), "app:" + app.Id), now);
        return View(caller, Find(caller, appId));
    }

    /// <summary>Deletes an app with its AppCodes and bindings.</summary>
    /// <exception cref="InferaException">404 unknown app, 403 when the caller is not the creator.</exception>
    public void Delete(CallerIdentity caller, string appId)
    {
        var app = RequireOwner(caller, appId, "delete it");
        apps.Delete(app.Id);
    }

    /// <summary>Adds an AppCode: <paramref name="code"/> when given (64–180 characters of <c>A-Z a-z 0-9 + / =</c>), else a generated one.</summary>
    /// <returns><c>{"app_code":{"id","app_code","create_time"}}</c>.</returns>
    /// <exception cref="InferaException">404 unknown app, 403 not the creator, 400 bad value or more than the allowed codes, 409 value in use.</exception>
    public JsonObject AddCode(CallerIdentity caller, string appId, string? code)
    {
        var app = RequireOwner(caller, appId, "add AppCodes");
        var value = ValidateOrGenerate(code);
        var row = new AppStore.AppCodeRow(Ids.NewUuid(), app.Id, HashCode(value), protector.Protect(value, "appcode:" + app.Id), time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!apps.TryAddCode(row, options.MaxAppCodes))
        {
            throw apps.ListCodes(app.Id).Count >= options.MaxAppCodes
                ? new InferaException(400, "ModelArts.0101", $"An app holds at most {options.MaxAppCodes} AppCodes; delete one first.")
                : new InferaException(409, "ModelArts.0101", "That AppCode is already in use.");
        }

        return new JsonObject { ["app_code"] = CodeView(value, row) };
    }

    /// <summary>Replaces the value of one AppCode (generated unless given).</summary>
    /// <exception cref="InferaException">404 unknown app or code, 403 not the creator, 400 bad value, 409 value in use.</exception>
    public JsonObject ResetCode(CallerIdentity caller, string appId, string codeId, string? code)
    {
        var app = RequireOwner(caller, appId, "reset AppCodes");
        var existing = apps.ListCodes(app.Id).FirstOrDefault(c => c.Id == codeId) ?? throw Errors.ObjectNotFound($"AppCode {codeId} of app {appId}");
        var value = ValidateOrGenerate(code);
        if (!apps.ReplaceCode(app.Id, codeId, HashCode(value), protector.Protect(value, "appcode:" + app.Id)))
        {
            throw new InferaException(409, "ModelArts.0101", "That AppCode is already in use.");
        }

        return new JsonObject { ["app_code"] = CodeView(value, existing) };
    }

    /// <summary>Deletes one AppCode.</summary>
    /// <exception cref="InferaException">404 unknown app or code, 403 not the creator.</exception>
    public void DeleteCode(CallerIdentity caller, string appId, string codeId)
    {
        var app = RequireOwner(caller, appId, "delete AppCodes");
        if (!apps.DeleteCode(app.Id, codeId))
        {
            throw Errors.ObjectNotFound($"AppCode {codeId} of app {appId}");
        }
    }

    /// <summary>Checks that every app id exists in the caller's project (before a deploy or update writes anything).</summary>
    /// <exception cref="InferaException">404 for the first unknown app.</exception>
    public IReadOnlyList<string> RequireApps(CallerIdentity caller, IEnumerable<string> appIds) =>
        appIds.Distinct(StringComparer.Ordinal).Select(id => Find(caller, id).Id).ToList();

    /// <summary>
    /// Switches app authentication on for a service and binds the apps (<c>POST …/services/{id}/app-auth-api</c>).
    /// </summary>
    /// <exception cref="InferaException">404 unknown service or app.</exception>
    public JsonObject EnableAndBind(CallerIdentity caller, string serviceId, IEnumerable<string> appIds)
    {
        var service = RequireService(caller, serviceId);
        var ids = RequireApps(caller, appIds);
        services.UpdateAppAuth(service.Id, true);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var id in ids)
        {
            apps.Bind(service.Id, id, now);
        }

        return Authorizations(caller, serviceId);
    }

    /// <summary>Unbinds one app from a service.</summary>
    /// <exception cref="InferaException">404 unknown service, or the app is not bound to it.</exception>
    public void Unbind(CallerIdentity caller, string serviceId, string appId)
    {
        var service = RequireService(caller, serviceId);
        if (!apps.Unbind(service.Id, appId))
        {
            throw Errors.ObjectNotFound($"A binding of app {appId} to service {serviceId}");
        }
    }

    /// <summary>Removes every binding of a service being deleted.</summary>
    public void UnbindService(string serviceId) => apps.UnbindService(serviceId);

    /// <summary>Binds apps already checked by <see cref="RequireApps"/> (deploy and update).</summary>
    public void Bind(string serviceId, IEnumerable<string> appIds)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var id in appIds)
        {
            apps.Bind(serviceId, id, now);
        }
    }

    /// <summary>The app authentication of a service: whether it is on and the bound apps (<c>GET …/api-auths</c>).</summary>
    /// <exception cref="InferaException">404 unknown service.</exception>
    public JsonObject Authorizations(CallerIdentity caller, string serviceId)
    {
        var service = RequireService(caller, serviceId);
        return new JsonObject
        {
            ["service_id"] = service.Id,
            ["app_auth"] = service.AppAuth,
            ["apps"] = BoundApps(service.Id),
        };
    }

    /// <summary>The bound apps of a service as shown in its call guide: id, name, AppKey (never the secret).</summary>
    public JsonArray BoundApps(string serviceId) => new(apps.ListBound(serviceId)
        .Select(a => (JsonNode?)new JsonObject { ["app_id"] = a.Id, ["app_name"] = a.Name, ["app_key"] = a.AppKey }).ToArray());

    /// <summary>
    /// Whether an app-authenticated caller may call the service (spec §5, §7): the service must have app
    /// authentication on (else 401 APIG.0303) and the app must be bound (else 403 APIG.0304).
    /// </summary>
    /// <returns>Null when allowed, else the status, code and message to answer.</returns>
    public (int Status, string Code, string Message)? AuthorizeInference(string serviceId, string appId)
    {
        var service = services.FindAny(serviceId);
        if (service is null || !service.AppAuth)
        {
            return (401, "APIG.0303", $"Incorrect app authentication information: app authentication is not enabled for service {serviceId}");
        }

        return apps.IsBound(serviceId, appId)
            ? null
            : (403, "APIG.0304", "The app is not authorized to access the API: bind the app to the service first");
    }

    private Core.Services.ServiceRecord RequireService(CallerIdentity caller, string serviceId)
    {
        var service = services.Find(caller.ProjectId, serviceId);
        return service is null || service.DesiredState == Services.ServiceManager.DesiredDeleted ? throw Errors.ServiceNotFound(serviceId) : service;
    }

    private AppStore.AppRow Find(CallerIdentity caller, string appId) =>
        apps.Find(caller.ProjectId, appId) ?? throw Errors.ObjectNotFound($"App {appId}");

    private AppStore.AppRow RequireOwner(CallerIdentity caller, string appId, string action)
    {
        var app = Find(caller, appId);
        return app.OwnerId == caller.UserId
            ? app
            : throw new InferaException(403, "ModelArts.0210", $"Only the creator of app {app.Name} may {action}.");
    }

    private JsonObject View(CallerIdentity caller, AppStore.AppRow app)
    {
        var owner = app.OwnerId == caller.UserId;
        var codes = apps.ListCodes(app.Id);
        var boundServices = apps.ListBoundServices(app.Id);
        return new JsonObject
        {
            ["app_id"] = app.Id,
            ["app_name"] = app.Name,
            ["app_remark"] = app.Remark,
            ["app_key"] = app.AppKey,
            ["app_secret"] = owner ? protector.Unprotect(app.SecretProtected, "app:" + app.Id) : "******",
            ["app_codes"] = new JsonArray(codes.Select(c => (JsonNode?)CodeView(owner ? protector.Unprotect(c.CodeProtected, "appcode:" + app.Id) : "******", c)).ToArray()),
            ["app_type"] = "APIG",
            ["bounded_api_count"] = boundServices.Count,
            ["bound_services"] = new JsonArray(boundServices.Select(s => (JsonNode?)s).ToArray()),
            ["created_at"] = app.CreatedAt,
            ["updated_at"] = app.UpdatedAt,
            ["user_id"] = app.OwnerId,
            ["project_id"] = app.ProjectId,
        };
    }

    private static JsonObject CodeView(string value, AppStore.AppCodeRow row) =>
        new() { ["id"] = row.Id, ["app_code"] = value, ["create_time"] = row.CreatedAt };

    private static string ValidateOrGenerate(string? code)
    {
        if (code is null)
        {
            // 48 random bytes → 64 base64 characters, like Huawei's AppCodes (may contain + / =).
            return Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        }

        return AppCodePattern().IsMatch(code)
            ? code
            : throw Errors.InvalidParameter("app_code", code.Length > 12 ? code[..12] + "…" : code, "64-180 characters of A-Z, a-z, 0-9, '+', '/' or '='.");
    }

    /// <summary>Lower-case hex SHA-256 of an AppCode (the lookup key; the code itself is stored encrypted).</summary>
    public static string HashCode(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    [GeneratedRegex(@"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9_\u4e00-\u9fa5]{2,63}$")]
    private static partial Regex AppNamePattern();

    [GeneratedRegex("^[A-Za-z0-9+/=]{64,180}$")]
    private static partial Regex AppCodePattern();
}
