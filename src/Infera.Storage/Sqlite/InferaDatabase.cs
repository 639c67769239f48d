using Dapper;
using Microsoft.Data.Sqlite;

namespace Infera.Storage.Sqlite;

/// <summary>
/// The metadata database: one SQLite file in WAL mode (ARCHITECTURE "Storage layout"). Opens pooled
/// connections and applies the schema migrations in order on first use.
/// </summary>
public sealed class InferaDatabase
{
    private readonly string _connectionString;

    static InferaDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>How long a write waits for another connection's write lock by default (5 s).</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Creates (if needed) and migrates the database at <paramref name="path"/>.</summary>
    /// <param name="path">Path of the SQLite file; its folder must exist.</param>
    /// <param name="busyTimeout">
    /// How long a statement waits while another connection or process holds the write lock before it fails with
    /// SQLITE_BUSY (whole seconds, rounded up, at least 1); default <see cref="DefaultBusyTimeout"/>. Reads in WAL mode
    /// never wait for a writer.
    /// </param>
    public InferaDatabase(string path, TimeSpan? busyTimeout = null)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling((busyTimeout ?? DefaultBusyTimeout).TotalSeconds)),
        }.ToString();
        Path = path;
        Migrate();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens a new pooled connection; the caller disposes it.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // synchronous is a per-connection setting: without this only the migrating connection had NORMAL and every
        // other commit fsynced the WAL (FULL). NORMAL in WAL mode survives process crashes (kill -9); only an OS crash
        // or power loss can lose the last commits.
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            pragma.ExecuteNonQuery();
        }

        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var current = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_version") ?? 0;
        for (var i = (int)current; i < Migrations.Length; i++)
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(Migrations[i], transaction: transaction);
            connection.Execute("INSERT INTO schema_version (version) VALUES (@v)", new { v = i + 1 }, transaction);
            transaction.Commit();
        }
    }

    // Append-only: a released migration is never edited, a new one is added.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE domains (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
        CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain_id TEXT NOT NULL, created_at INTEGER NOT NULL,
            UNIQUE (domain_id, name));
        CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain_id TEXT NOT NULL, password_hash TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, UNIQUE (domain_id, name));
        CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, project_id TEXT NOT NULL,
            issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
        CREATE TABLE buckets (name TEXT PRIMARY KEY, project_id TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE models (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, domain_id TEXT NOT NULL, owner_id TEXT NOT NULL,
            name TEXT NOT NULL, version TEXT NOT NULL, model_type TEXT NOT NULL, runtime TEXT NOT NULL, status TEXT NOT NULL,
            description TEXT NOT NULL, source_location TEXT NOT NULL, model_algorithm TEXT NOT NULL, config_json TEXT NOT NULL,
            model_directory TEXT NOT NULL, size_bytes INTEGER NOT NULL, install_type TEXT NOT NULL,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, error_message TEXT NOT NULL,
            UNIQUE (project_id, name, version));
        CREATE TABLE services (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, domain_id TEXT NOT NULL, owner_id TEXT NOT NULL,
            name TEXT NOT NULL, description TEXT NOT NULL, infer_type TEXT NOT NULL, status TEXT NOT NULL,
            desired_state TEXT NOT NULL, config_json TEXT NOT NULL, publish_at INTEGER NOT NULL, transition_at INTEGER NOT NULL,
            update_time INTEGER NOT NULL, error_message TEXT NOT NULL, invocation_times INTEGER NOT NULL DEFAULT 0,
            failed_times INTEGER NOT NULL DEFAULT 0, UNIQUE (project_id, name));
        CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, resource_id TEXT NOT NULL, event_type TEXT NOT NULL,
            event_info TEXT NOT NULL, occur_time INTEGER NOT NULL);
        CREATE INDEX events_by_resource ON events (resource_id, occur_time);
        CREATE TABLE instances (id TEXT PRIMARY KEY, service_id TEXT NOT NULL, model_id TEXT NOT NULL, pid INTEGER NOT NULL,
            port INTEGER NOT NULL, started_at INTEGER NOT NULL);
        """,
        // Issue 5: roles, project membership, access keys, apps and app authentication of services.
        """
        ALTER TABLE domains ADD COLUMN system INTEGER NOT NULL DEFAULT 0;
        UPDATE domains SET system = 1 WHERE id = (SELECT id FROM domains ORDER BY created_at LIMIT 1);
        ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
        UPDATE users SET is_admin = 1;
        CREATE TABLE project_members (project_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (project_id, user_id));
        CREATE INDEX tokens_by_user ON tokens (user_id);
        CREATE TABLE access_keys (access_key TEXT PRIMARY KEY, user_id TEXT NOT NULL, secret_protected TEXT NOT NULL,
            description TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX access_keys_by_user ON access_keys (user_id);
        CREATE TABLE apps (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, owner_id TEXT NOT NULL, name TEXT NOT NULL,
            remark TEXT NOT NULL, app_key TEXT NOT NULL UNIQUE, secret_protected TEXT NOT NULL, created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL, UNIQUE (project_id, name));
        CREATE TABLE app_codes (id TEXT PRIMARY KEY, app_id TEXT NOT NULL, code_hash TEXT NOT NULL UNIQUE,
            code_protected TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX app_codes_by_app ON app_codes (app_id);
        CREATE TABLE service_apps (service_id TEXT NOT NULL, app_id TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (service_id, app_id));
        CREATE INDEX service_apps_by_app ON service_apps (app_id);
        ALTER TABLE services ADD COLUMN app_auth INTEGER NOT NULL DEFAULT 0;
        """,
        // Issue 7: routing rules, rate limits and per-version call counts.
        """
        ALTER TABLE services ADD COLUMN traffic_json TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE service_version_calls (service_id TEXT NOT NULL, model_id TEXT NOT NULL,
            invocation_times INTEGER NOT NULL DEFAULT 0, failed_times INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (service_id, model_id));
        """,
        // Issue 3: templates, input/output modes and dynamic loading.
        """
        ALTER TABLE models ADD COLUMN template_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE models ADD COLUMN infer_format TEXT NOT NULL DEFAULT '';
        ALTER TABLE models ADD COLUMN dynamic_load INTEGER NOT NULL DEFAULT 0;
        """,
        // Issue 6 (lifecycle): auto-stop, tags, the configuration before a rolling update, and the update history.
        """
        ALTER TABLE services ADD COLUMN schedule_json TEXT NOT NULL DEFAULT '';
        ALTER TABLE services ADD COLUMN due_time INTEGER;
        ALTER TABLE services ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE services ADD COLUMN previous_config_json TEXT NOT NULL DEFAULT '';
        CREATE TABLE service_update_logs (id INTEGER PRIMARY KEY AUTOINCREMENT, service_id TEXT NOT NULL, update_time INTEGER NOT NULL,
            result TEXT NOT NULL, config_json TEXT NOT NULL, operator TEXT NOT NULL, detail TEXT NOT NULL, finished_at INTEGER);
        CREATE INDEX service_update_logs_by_service ON service_update_logs (service_id, update_time);
        """,
        // Issue 6 part B: per-minute metrics per service and version, instance logs, alarm rules.
        """
        CREATE TABLE service_metrics (service_id TEXT NOT NULL, model_id TEXT NOT NULL, minute INTEGER NOT NULL,
            total INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, count_2xx INTEGER NOT NULL DEFAULT 0,
            count_4xx INTEGER NOT NULL DEFAULT 0, count_5xx INTEGER NOT NULL DEFAULT 0, latency_ms_sum REAL NOT NULL DEFAULT 0,
            latency_count INTEGER NOT NULL DEFAULT 0, cpu_cores_sum REAL NOT NULL DEFAULT 0, memory_bytes_sum REAL NOT NULL DEFAULT 0,
            instance_samples INTEGER NOT NULL DEFAULT 0, disk_read_bytes REAL NOT NULL DEFAULT 0, disk_write_bytes REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (service_id, model_id, minute));
        CREATE INDEX service_metrics_by_minute ON service_metrics (minute);
        CREATE TABLE instance_logs (id INTEGER PRIMARY KEY AUTOINCREMENT, service_id TEXT NOT NULL, model_id TEXT NOT NULL,
            instance_id TEXT NOT NULL, ts INTEGER NOT NULL, stream TEXT NOT NULL, line TEXT NOT NULL);
        CREATE INDEX instance_logs_by_service ON instance_logs (service_id, ts);
        CREATE INDEX instance_logs_by_ts ON instance_logs (ts);
        CREATE TABLE alarm_rules (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, service_id TEXT NOT NULL, model_id TEXT,
            name TEXT NOT NULL, metric TEXT NOT NULL, comparison TEXT NOT NULL, threshold REAL NOT NULL, periods INTEGER NOT NULL,
            created_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'ok', state_changed_at INTEGER NOT NULL DEFAULT 0,
            evaluated_minute INTEGER NOT NULL DEFAULT 0, last_value REAL, UNIQUE (service_id, name));
        """,
        // Issue 4: batch tasks and their items (one row per input; the result manifests are generated from these rows).
        """
        CREATE TABLE batch_tasks (service_id TEXT PRIMARY KEY, task_id TEXT NOT NULL, listed INTEGER NOT NULL DEFAULT 0,
            total_count INTEGER NOT NULL DEFAULT 0, start_time INTEGER NOT NULL DEFAULT 0, finished_time INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE batch_items (task_id TEXT NOT NULL, seq INTEGER NOT NULL, source TEXT NOT NULL, result_name TEXT NOT NULL,
            state TEXT NOT NULL, result TEXT NOT NULL DEFAULT '', inference_loc TEXT NOT NULL DEFAULT '',
            error_message TEXT NOT NULL DEFAULT '', done_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (task_id, seq));
        CREATE INDEX batch_items_by_state ON batch_items (task_id, state, seq);
        """,
    ];
}
