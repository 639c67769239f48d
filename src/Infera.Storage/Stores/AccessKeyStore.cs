using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>IAM access keys (AK/SK) of users. The secret is stored only in protected (encrypted) form.</summary>
public sealed class AccessKeyStore(InferaDatabase database)
{
    /// <summary>A stored access key.</summary>
    /// <param name="AccessKey">The AK (20 upper-case alphanumerics).</param>
    /// <param name="UserId">The owner.</param>
    /// <param name="SecretProtected">The SK, encrypted by the server's secret protector.</param>
    /// <param name="Description">Free text.</param>
    /// <param name="Status"><c>active</c> or <c>inactive</c> (Huawei IAM's values).</param>
    /// <param name="CreatedAt">Creation time, ms since the epoch.</param>
    public sealed record AccessKeyRow(string AccessKey, string UserId, string SecretProtected, string Description, string Status, long CreatedAt);

    private const string Columns = "access_key AS AccessKey, user_id AS UserId, secret_protected AS SecretProtected, description AS Description, status AS Status, created_at AS CreatedAt";

    /// <summary>Inserts a key unless the user already holds <paramref name="maxPerUser"/> keys; false then.</summary>
    public bool TryInsert(AccessKeyRow key, int maxPerUser)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM access_keys WHERE user_id = @UserId", key, t) >= maxPerUser)
        {
            return false;
        }

        c.Execute("INSERT INTO access_keys (access_key, user_id, secret_protected, description, status, created_at) VALUES (@AccessKey, @UserId, @SecretProtected, @Description, @Status, @CreatedAt)", key, t);
        t.Commit();
        return true;
    }

    /// <summary>A key by AK, or null.</summary>
    public AccessKeyRow? Find(string accessKey)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<AccessKeyRow>($"SELECT {Columns} FROM access_keys WHERE access_key = @accessKey", new { accessKey });
    }

    /// <summary>The keys of a user, oldest first.</summary>
    public IReadOnlyList<AccessKeyRow> ListByUser(string userId)
    {
        using var c = database.Open();
        return c.Query<AccessKeyRow>($"SELECT {Columns} FROM access_keys WHERE user_id = @userId ORDER BY created_at, access_key", new { userId }).ToList();
    }

    /// <summary>Sets <c>active</c>/<c>inactive</c>; false when the key does not exist.</summary>
    public bool SetStatus(string accessKey, string status)
    {
        using var c = database.Open();
        return c.Execute("UPDATE access_keys SET status = @status WHERE access_key = @accessKey", new { accessKey, status }) > 0;
    }

    /// <summary>Updates the description; false when the key does not exist.</summary>
    public bool SetDescription(string accessKey, string description)
    {
        using var c = database.Open();
        return c.Execute("UPDATE access_keys SET description = @description WHERE access_key = @accessKey", new { accessKey, description }) > 0;
    }

    /// <summary>Deletes a key; false when it did not exist.</summary>
    public bool Delete(string accessKey)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM access_keys WHERE access_key = @accessKey", new { accessKey }) > 0;
    }
}
