using Dapper;
using Infera.Core.Models;
using Infera.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>The model registry table: one row per model version.</summary>
public sealed class ModelStore(InferaDatabase database)
{
    private const string Columns =
        "id, project_id, domain_id, owner_id, name, version, model_type, runtime, status, description, source_location, model_algorithm, config_json, model_directory, size_bytes, install_type, created_at, updated_at, error_message, template_id, infer_format, dynamic_load";

    /// <summary>Inserts a new model; returns false when (project, name, version) exists already.</summary>
    public bool TryInsert(ModelRecord model)
    {
        using var c = database.Open();
        try
        {
            c.Execute(
                $"""
                INSERT INTO models ({Columns}) VALUES (@Id, @ProjectId, @DomainId, @OwnerId, @Name, @Version, @ModelType, @Runtime, @Status,
                  @Description, @SourceLocation, @ModelAlgorithm, @ConfigJson, @ModelDirectory, @SizeBytes, @InstallType, @CreatedAt, @UpdatedAt, @ErrorMessage, @TemplateId, @InferFormat, @DynamicLoad)
                """, model);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
        {
            return false;
        }
    }

    /// <summary>Writes every mutable column of <paramref name="model"/>.</summary>
    public void Update(ModelRecord model)
    {
        using var c = database.Open();
        c.Execute(
            """
            UPDATE models SET model_type = @ModelType, runtime = @Runtime, status = @Status, description = @Description,
              model_algorithm = @ModelAlgorithm, config_json = @ConfigJson, model_directory = @ModelDirectory, size_bytes = @SizeBytes,
              install_type = @InstallType, updated_at = @UpdatedAt, error_message = @ErrorMessage, infer_format = @InferFormat
            WHERE id = @Id
            """, model);
    }

    /// <summary>Finds a model of a project (null when absent or owned by another project).</summary>
    public ModelRecord? Find(string projectId, string id)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<ModelRecord>($"SELECT {Columns} FROM models WHERE id = @id AND project_id = @projectId", new { id, projectId });
    }

    /// <summary>Finds a model by id regardless of project (internal use).</summary>
    public ModelRecord? FindAny(string id)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<ModelRecord>($"SELECT {Columns} FROM models WHERE id = @id", new { id });
    }

    /// <summary>All models with the given status (used at start to resume imports).</summary>
    public IReadOnlyList<ModelRecord> ListByStatus(string status)
    {
        using var c = database.Open();
        return c.Query<ModelRecord>($"SELECT {Columns} FROM models WHERE status = @status", new { status }).AsList();
    }

    /// <summary>
    /// Lists a project's models with the ModelArts filters (spec §2.2). <see cref="ModelQuery.SortBy"/> is one of
    /// create_at, model_version, model_size. Returns the page and the total number of matches.
    /// </summary>
    public (IReadOnlyList<ModelRecord> Page, int Total) List(string projectId, ModelQuery query)
    {
        using var c = database.Open();
        var where = "project_id = @projectId";
        var args = new DynamicParameters(new { projectId, query.Offset, query.Limit });
        if (!string.IsNullOrEmpty(query.Name))
        {
            // `_` is a wildcard unless exact_match=true (spec §2.2); LIKE gives us that for free.
            var pattern = query.ExactMatch ? query.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) : query.Name.Replace("%", "\\%", StringComparison.Ordinal);
            where += " AND name LIKE @name ESCAPE '\\'";
            args.Add("name", $"%{pattern}%");
        }

        AddEquals(ref where, args, "version", query.Version);
        AddEquals(ref where, args, "status", query.Status);
        AddEquals(ref where, args, "model_type", query.ModelType);
        if (!string.IsNullOrEmpty(query.NotModelType))
        {
            where += " AND model_type <> @notModelType";
            args.Add("notModelType", query.NotModelType);
        }

        if (!string.IsNullOrEmpty(query.Description))
        {
            where += " AND description LIKE @description";
            args.Add("description", $"%{query.Description}%");
        }

        var sort = query.SortBy switch
        {
            // A.B.C compared part by part (1.10.0 after 1.9.0), not as text.
            "model_version" => "(CAST(version AS INTEGER) * 10000 + CAST(substr(version, instr(version, '.') + 1) AS INTEGER) * 100 + CAST(substr(version, instr(version, '.') + instr(substr(version, instr(version, '.') + 1), '.') + 1) AS INTEGER))",
            "model_size" => "size_bytes",
            _ => "created_at",
        };
        var order = query.Ascending ? "ASC" : "DESC";
        var total = c.ExecuteScalar<int>($"SELECT COUNT(*) FROM models WHERE {where}", args);
        var page = c.Query<ModelRecord>($"SELECT {Columns} FROM models WHERE {where} ORDER BY {sort} {order}, id LIMIT @Limit OFFSET @Offset", args).AsList();
        return (page, total);
    }

    /// <summary>Deletes a model row; returns false when it was not there.</summary>
    public bool Delete(string id)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM models WHERE id = @id", new { id }) > 0;
    }

    private static void AddEquals(ref string where, DynamicParameters args, string column, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            where += $" AND {column} = @{column}";
            args.Add(column, value);
        }
    }
}

/// <summary>Filters and paging of the model list (spec §2.2).</summary>
public sealed record ModelQuery
{
    /// <summary>Substring of the name; <c>_</c> is a wildcard unless <see cref="ExactMatch"/>.</summary>
    public string? Name { get; init; }

    /// <summary>Treat <c>_</c> in <see cref="Name"/> literally.</summary>
    public bool ExactMatch { get; init; }

    /// <summary>Exact version.</summary>
    public string? Version { get; init; }

    /// <summary>Exact status.</summary>
    public string? Status { get; init; }

    /// <summary>Exact engine.</summary>
    public string? ModelType { get; init; }

    /// <summary>Every engine but this one.</summary>
    public string? NotModelType { get; init; }

    /// <summary>Substring of the description.</summary>
    public string? Description { get; init; }

    /// <summary>Records to skip.</summary>
    public int Offset { get; init; }

    /// <summary>Page size (default 1000).</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>create_at, model_version or model_size.</summary>
    public string SortBy { get; init; } = "create_at";

    /// <summary>Ascending order instead of the default descending.</summary>
    public bool Ascending { get; init; }
}
