using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>
/// Apps for app authentication (spec/auth.md §9): AppKey/AppSecret, AppCodes, and their bindings to services.
/// Secrets and codes are stored encrypted; codes are looked up by their SHA-256.
/// </summary>
public sealed class AppStore(InferaDatabase database)
{
    /// <summary>A stored app.</summary>
    /// <param name="Id">App id.</param>
    /// <param name="ProjectId">Owning project.</param>
    /// <param name="OwnerId">Creator (user id); only the creator may reset the secret.</param>
    /// <param name="Name">Name, unique in the project.</param>
    /// <param name="Remark">Description (≤ 200 characters).</param>
    /// <param name="AppKey">Public key (32 lower-case hex).</param>
    /// <param name="SecretProtected">The AppSecret, encrypted.</param>
    /// <param name="CreatedAt">ms since the epoch.</param>
    /// <param name="UpdatedAt">ms since the epoch.</param>
    public sealed record AppRow(string Id, string ProjectId, string OwnerId, string Name, string Remark, string AppKey, string SecretProtected, long CreatedAt, long UpdatedAt);

    /// <summary>A stored AppCode.</summary>
    /// <param name="Id">Code id.</param>
    /// <param name="AppId">Owning app.</param>
    /// <param name="CodeHash">Lower-case hex SHA-256 of the code.</param>
    /// <param name="CodeProtected">The code, encrypted (the owner may view it).</param>
    /// <param name="CreatedAt">ms since the epoch.</param>
    public sealed record AppCodeRow(string Id, string AppId, string CodeHash, string CodeProtected, long CreatedAt);

    private const string Columns =
        "a.id AS Id, a.project_id AS ProjectId, a.owner_id AS OwnerId, a.name AS Name, a.remark AS Remark, a.app_key AS AppKey, a.secret_protected AS SecretProtected, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt";

    private const string CodeColumns = "id AS Id, app_id AS AppId, code_hash AS CodeHash, code_protected AS CodeProtected, created_at AS CreatedAt";

    /// <summary>Inserts an app; false when the name is taken in the project or the owner has <paramref name="maxPerOwner"/> apps.</summary>
    public bool TryInsert(AppRow app, int maxPerOwner)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM apps WHERE owner_id = @OwnerId", app, t) >= maxPerOwner)
        {
            return false;
        }

        var inserted = c.Execute(
            "INSERT OR IGNORE INTO apps (id, project_id, owner_id, name, remark, app_key, secret_protected, created_at, updated_at) VALUES (@Id, @ProjectId, @OwnerId, @Name, @Remark, @AppKey, @SecretProtected, @CreatedAt, @UpdatedAt)",
            app, t) > 0;
        t.Commit();
        return inserted;
    }

    /// <summary>Number of apps a user owns.</summary>
    public int CountByOwner(string ownerId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM apps WHERE owner_id = @ownerId", new { ownerId });
    }

    /// <summary>An app of a project, or null (another project's app is not found).</summary>
    public AppRow? Find(string projectId, string appId)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<AppRow>($"SELECT {Columns} FROM apps a WHERE a.id = @appId AND a.project_id = @projectId", new { appId, projectId });
    }

    /// <summary>An app by its AppKey, or null.</summary>
    public AppRow? FindByKey(string appKey)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<AppRow>($"SELECT {Columns} FROM apps a WHERE a.app_key = @appKey", new { appKey });
    }

    /// <summary>The app holding the AppCode whose SHA-256 is <paramref name="codeHash"/>, with that code's stored row; null when none.</summary>
    public (AppRow App, AppCodeRow Code)? FindByCodeHash(string codeHash)
    {
        using var c = database.Open();
        var code = c.QuerySingleOrDefault<AppCodeRow>($"SELECT {CodeColumns} FROM app_codes WHERE code_hash = @codeHash", new { codeHash });
        if (code is null)
        {
            return null;
        }

        var app = c.QuerySingleOrDefault<AppRow>($"SELECT {Columns} FROM apps a WHERE a.id = @AppId", code);
        return app is null ? null : (app, code);
    }

    /// <summary>The apps of a project, by name.</summary>
    public IReadOnlyList<AppRow> List(string projectId)
    {
        using var c = database.Open();
        return c.Query<AppRow>($"SELECT {Columns} FROM apps a WHERE a.project_id = @projectId ORDER BY a.name", new { projectId }).ToList();
    }

    /// <summary>Replaces the AppSecret.</summary>
    public void SetSecret(string appId, string secretProtected, long now)
    {
        using var c = database.Open();
        c.Execute("UPDATE apps SET secret_protected = @secretProtected, updated_at = @now WHERE id = @appId", new { appId, secretProtected, now });
    }

    /// <summary>Deletes an app with its codes and bindings; false when it did not exist.</summary>
    public bool Delete(string appId)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        var deleted = c.Execute("DELETE FROM apps WHERE id = @appId", new { appId }, t) > 0;
        c.Execute("DELETE FROM app_codes WHERE app_id = @appId", new { appId }, t);
        c.Execute("DELETE FROM service_apps WHERE app_id = @appId", new { appId }, t);
        t.Commit();
        return deleted;
    }

    /// <summary>Adds an AppCode unless the app has <paramref name="max"/> codes or the code exists; false then.</summary>
    public bool TryAddCode(AppCodeRow code, int max)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM app_codes WHERE app_id = @AppId", code, t) >= max)
        {
            return false;
        }

        var inserted = c.Execute(
            "INSERT OR IGNORE INTO app_codes (id, app_id, code_hash, code_protected, created_at) VALUES (@Id, @AppId, @CodeHash, @CodeProtected, @CreatedAt)", code, t) > 0;
        t.Commit();
        return inserted;
    }

    /// <summary>The AppCodes of an app, oldest first.</summary>
    public IReadOnlyList<AppCodeRow> ListCodes(string appId)
    {
        using var c = database.Open();
        return c.Query<AppCodeRow>($"SELECT {CodeColumns} FROM app_codes WHERE app_id = @appId ORDER BY created_at, id", new { appId }).ToList();
    }

    /// <summary>Replaces the value of one AppCode; false when the code does not belong to the app or the new value exists.</summary>
    public bool ReplaceCode(string appId, string codeId, string codeHash, string codeProtected)
    {
        using var c = database.Open();
        return c.Execute("UPDATE OR IGNORE app_codes SET code_hash = @codeHash, code_protected = @codeProtected WHERE id = @codeId AND app_id = @appId",
            new { appId, codeId, codeHash, codeProtected }) > 0;
    }

    /// <summary>Deletes one AppCode; false when it does not belong to the app.</summary>
    public bool DeleteCode(string appId, string codeId)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM app_codes WHERE id = @codeId AND app_id = @appId", new { appId, codeId }) > 0;
    }

    /// <summary>Binds an app to a service (idempotent).</summary>
    public void Bind(string serviceId, string appId, long now)
    {
        using var c = database.Open();
        c.Execute("INSERT OR IGNORE INTO service_apps (service_id, app_id, created_at) VALUES (@serviceId, @appId, @now)", new { serviceId, appId, now });
    }

    /// <summary>Unbinds an app from a service; false when it was not bound.</summary>
    public bool Unbind(string serviceId, string appId)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM service_apps WHERE service_id = @serviceId AND app_id = @appId", new { serviceId, appId }) > 0;
    }

    /// <summary>Removes every binding of a service (when it is deleted).</summary>
    public void UnbindService(string serviceId)
    {
        using var c = database.Open();
        c.Execute("DELETE FROM service_apps WHERE service_id = @serviceId", new { serviceId });
    }

    /// <summary>True when the app is bound to the service.</summary>
    public bool IsBound(string serviceId, string appId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM service_apps WHERE service_id = @serviceId AND app_id = @appId", new { serviceId, appId }) > 0;
    }

    /// <summary>The apps bound to a service, by name.</summary>
    public IReadOnlyList<AppRow> ListBound(string serviceId)
    {
        using var c = database.Open();
        return c.Query<AppRow>($"SELECT {Columns} FROM apps a JOIN service_apps s ON s.app_id = a.id WHERE s.service_id = @serviceId ORDER BY a.name", new { serviceId }).ToList();
    }

    /// <summary>The ids of the services an app is bound to.</summary>
    public IReadOnlyList<string> ListBoundServices(string appId)
    {
        using var c = database.Open();
        return c.Query<string>("SELECT service_id FROM service_apps WHERE app_id = @appId ORDER BY service_id", new { appId }).ToList();
    }
}
