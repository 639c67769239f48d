using Dapper;
using Infera.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>Bucket ownership: bucket names are global (as in OBS/S3) and each belongs to one project.</summary>
public sealed class BucketStore(InferaDatabase database)
{
    /// <summary>A bucket row.</summary>
    /// <param name="Name">Bucket name.</param>
    /// <param name="ProjectId">Owning project.</param>
    /// <param name="CreatedAt">Creation time, ms.</param>
    public sealed record BucketRow(string Name, string ProjectId, long CreatedAt);

    /// <summary>Records a bucket; returns false when the name exists.</summary>
    public bool TryInsert(string name, string projectId, long now)
    {
        using var c = database.Open();
        try
        {
            c.Execute("INSERT INTO buckets (name, project_id, created_at) VALUES (@name, @projectId, @now)", new { name, projectId, now });
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    /// <summary>The bucket, or null.</summary>
    public BucketRow? Find(string name)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<BucketRow>("SELECT name AS Name, project_id AS ProjectId, created_at AS CreatedAt FROM buckets WHERE name = @name", new { name });
    }

    /// <summary>A project's buckets by name.</summary>
    public IReadOnlyList<BucketRow> List(string projectId)
    {
        using var c = database.Open();
        return c.Query<BucketRow>("SELECT name AS Name, project_id AS ProjectId, created_at AS CreatedAt FROM buckets WHERE project_id = @projectId ORDER BY name", new { projectId }).AsList();
    }

    /// <summary>Forgets a bucket.</summary>
    public void Delete(string name)
    {
        using var c = database.Open();
        c.Execute("DELETE FROM buckets WHERE name = @name", new { name });
    }
}
