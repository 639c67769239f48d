using Dapper;
using Infera.Core.Identity;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>Accounts (domains), projects, users and issued tokens (R-P2). Tokens are stored only as SHA-256 hashes.</summary>
public sealed class IdentityStore(InferaDatabase database)
{
    /// <summary>A stored user with its password hash.</summary>
    /// <param name="Id">User id.</param>
    /// <param name="Name">User name.</param>
    /// <param name="DomainId">Account id.</param>
    /// <param name="DomainName">Account name.</param>
    /// <param name="PasswordHash">Encoded PBKDF2 hash (see <c>PasswordHasher</c>).</param>
    /// <param name="Enabled">1 when enabled, 0 when disabled.</param>
    /// <param name="IsAdmin">1 for an account administrator (all projects of the account, IAM management).</param>
    /// <param name="CreatedAt">Creation time, ms since the epoch.</param>
    public sealed record UserRow(string Id, string Name, string DomainId, string DomainName, string PasswordHash, long Enabled, long IsAdmin, long CreatedAt);

    /// <summary>A stored account.</summary>
    /// <param name="Id">Account id (32 hex).</param>
    /// <param name="Name">Account name.</param>
    /// <param name="System">1 for the first (bootstrap) account, whose administrators may create accounts.</param>
    /// <param name="CreatedAt">Creation time, ms since the epoch.</param>
    public sealed record DomainRow(string Id, string Name, long System, long CreatedAt);

    /// <summary>A valid token's scope: the user, and the project for project-scoped tokens (null when domain-scoped).</summary>
    /// <param name="User">The user.</param>
    /// <param name="Project">The scoped project, or null.</param>
    /// <param name="ExpiresAt">Expiry, ms since the epoch.</param>
    public sealed record TokenScope(UserRow User, ProjectRow? Project, long ExpiresAt)
    {
        /// <summary>True when the user's account is the system account.</summary>
        public bool DomainSystem { get; init; }
    }

    /// <summary>A stored project.</summary>
    /// <param name="Id">Project id (32 hex).</param>
    /// <param name="Name">Project name.</param>
    /// <param name="DomainId">Owning account id.</param>
    public sealed record ProjectRow(string Id, string Name, string DomainId);

    private const string UserColumns =
        "u.id AS Id, u.name AS Name, u.domain_id AS DomainId, d.name AS DomainName, u.password_hash AS PasswordHash, u.enabled AS Enabled, u.is_admin AS IsAdmin, u.created_at AS CreatedAt";

    /// <summary>True when no account exists yet (first start).</summary>
    public bool IsEmpty()
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM domains") == 0;
    }

    /// <summary>Creates an account, its first project and its admin user in one transaction.</summary>
    /// <returns>False when an account with that name exists (nothing is written).</returns>
    public bool CreateAccount(string domainId, string domainName, string projectId, string projectName, string userId, string userName, string passwordHash, long now)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM domains WHERE name = @domainName", new { domainName }, t) > 0)
        {
            return false;
        }

        var system = c.ExecuteScalar<long>("SELECT COUNT(*) FROM domains", transaction: t) == 0 ? 1 : 0;
        c.Execute("INSERT INTO domains (id, name, created_at, system) VALUES (@domainId, @domainName, @now, @system)", new { domainId, domainName, now, system }, t);
        c.Execute("INSERT INTO projects (id, name, domain_id, created_at) VALUES (@projectId, @projectName, @domainId, @now)", new { projectId, projectName, domainId, now }, t);
        c.Execute("INSERT INTO users (id, name, domain_id, password_hash, enabled, created_at, is_admin) VALUES (@userId, @userName, @domainId, @passwordHash, 1, @now, 1)",
            new { userId, userName, domainId, passwordHash, now }, t);
        t.Commit();
        return true;
    }

    /// <summary>Every account, oldest first.</summary>
    public IReadOnlyList<DomainRow> ListDomains()
    {
        using var c = database.Open();
        return c.Query<DomainRow>("SELECT id AS Id, name AS Name, system AS System, created_at AS CreatedAt FROM domains ORDER BY created_at, name").ToList();
    }

    /// <summary>An account by id, or null.</summary>
    public DomainRow? FindDomain(string domainId)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<DomainRow>("SELECT id AS Id, name AS Name, system AS System, created_at AS CreatedAt FROM domains WHERE id = @domainId", new { domainId });
    }

    /// <summary>Creates a project in an account; false when the name is taken there.</summary>
    public bool CreateProject(string domainId, string projectId, string name, long now)
    {
        using var c = database.Open();
        return c.Execute("INSERT OR IGNORE INTO projects (id, name, domain_id, created_at) VALUES (@projectId, @name, @domainId, @now)",
            new { projectId, name, domainId, now }) > 0;
    }

    /// <summary>The projects of an account, by name.</summary>
    public IReadOnlyList<ProjectRow> ListProjects(string domainId)
    {
        using var c = database.Open();
        return c.Query<ProjectRow>("SELECT id AS Id, name AS Name, domain_id AS DomainId FROM projects WHERE domain_id = @domainId ORDER BY name", new { domainId }).ToList();
    }

    /// <summary>A project by id (any account), or null.</summary>
    public ProjectRow? FindProjectById(string projectId)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<ProjectRow>("SELECT id AS Id, name AS Name, domain_id AS DomainId FROM projects WHERE id = @projectId", new { projectId });
    }

    /// <summary>Creates a user in an account; false when the name is taken there.</summary>
    public bool CreateUser(string domainId, string userId, string name, string passwordHash, bool isAdmin, long now)
    {
        using var c = database.Open();
        return c.Execute(
            "INSERT OR IGNORE INTO users (id, name, domain_id, password_hash, enabled, created_at, is_admin) VALUES (@userId, @name, @domainId, @passwordHash, 1, @now, @admin)",
            new { userId, name, domainId, passwordHash, now, admin = isAdmin ? 1 : 0 }) > 0;
    }

    /// <summary>The users of an account, by name.</summary>
    public IReadOnlyList<UserRow> ListUsers(string domainId)
    {
        using var c = database.Open();
        return c.Query<UserRow>($"SELECT {UserColumns} FROM users u JOIN domains d ON d.id = u.domain_id WHERE u.domain_id = @domainId ORDER BY u.name", new { domainId }).ToList();
    }

    /// <summary>A user by id, or null.</summary>
    public UserRow? FindUserById(string userId)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<UserRow>($"SELECT {UserColumns} FROM users u JOIN domains d ON d.id = u.domain_id WHERE u.id = @userId", new { userId });
    }

    /// <summary>Replaces a password hash and deletes every token of the user (spec §3.1: a password change invalidates tokens).</summary>
    public void SetPassword(string userId, string passwordHash)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        c.Execute("UPDATE users SET password_hash = @passwordHash WHERE id = @userId", new { userId, passwordHash }, t);
        c.Execute("DELETE FROM tokens WHERE user_id = @userId", new { userId }, t);
        t.Commit();
    }

    /// <summary>Enables or disables a user; disabling deletes its tokens.</summary>
    public void SetEnabled(string userId, bool enabled)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        c.Execute("UPDATE users SET enabled = @e WHERE id = @userId", new { userId, e = enabled ? 1 : 0 }, t);
        if (!enabled)
        {
            c.Execute("DELETE FROM tokens WHERE user_id = @userId", new { userId }, t);
        }

        t.Commit();
    }

    /// <summary>Makes a user a member of a project (idempotent).</summary>
    public void AddMember(string projectId, string userId, long now)
    {
        using var c = database.Open();
        c.Execute("INSERT OR IGNORE INTO project_members (project_id, user_id, created_at) VALUES (@projectId, @userId, @now)", new { projectId, userId, now });
    }

    /// <summary>Removes a membership and the user's tokens scoped to that project; false when there was none.</summary>
    public bool RemoveMember(string projectId, string userId)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        var removed = c.Execute("DELETE FROM project_members WHERE project_id = @projectId AND user_id = @userId", new { projectId, userId }, t) > 0;
        c.Execute("DELETE FROM tokens WHERE user_id = @userId AND project_id = @projectId", new { projectId, userId }, t);
        t.Commit();
        return removed;
    }

    /// <summary>The ids of the projects a user is a member of.</summary>
    public IReadOnlyList<string> ListMemberships(string userId)
    {
        using var c = database.Open();
        return c.Query<string>("SELECT project_id FROM project_members WHERE user_id = @userId ORDER BY project_id", new { userId }).ToList();
    }

    /// <summary>True when the user is a member of the project (account administrators need no membership; see callers).</summary>
    public bool IsMember(string projectId, string userId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM project_members WHERE project_id = @projectId AND user_id = @userId", new { projectId, userId }) > 0;
    }

    /// <summary>Finds a user by account name and user name, or null.</summary>
    public UserRow? FindUser(string domainName, string userName)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<UserRow>(
            $"""
            SELECT {UserColumns}
            FROM users u JOIN domains d ON d.id = u.domain_id WHERE d.name = @domainName AND u.name = @userName
            """, new { domainName, userName });
    }

    /// <summary>Finds a project of an account by id or by name, or null.</summary>
    public ProjectRow? FindProject(string domainId, string? projectId, string? projectName)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<ProjectRow>(
            "SELECT id AS Id, name AS Name, domain_id AS DomainId FROM projects WHERE domain_id = @domainId AND (id = @projectId OR name = @projectName)",
            new { domainId, projectId, projectName });
    }

    /// <summary>Stores a token hash with its scope (an empty project id for a domain-scoped token) and lifetime (ms since the epoch).</summary>
    public void InsertToken(string tokenHash, string userId, string projectId, long issuedAt, long expiresAt)
    {
        using var c = database.Open();
        c.Execute("INSERT INTO tokens (token_hash, user_id, project_id, issued_at, expires_at) VALUES (@tokenHash, @userId, @projectId, @issuedAt, @expiresAt)",
            new { tokenHash, userId, projectId, issuedAt, expiresAt });
    }

    /// <summary>
    /// Looks a token hash up in one query; null when unknown, when the user is disabled or when its project is gone.
    /// Domain-scoped tokens have no project.
    /// </summary>
    public TokenScope? FindToken(string tokenHash)
    {
        using var c = database.Open();
        var row = c.QuerySingleOrDefault<TokenRow>(
            $"""
            SELECT t.expires_at AS ExpiresAt, t.project_id AS TokenProjectId, COALESCE(p.name, '') AS ProjectName, d.system AS DomainSystem,
                   {UserColumns}
            FROM tokens t JOIN users u ON u.id = t.user_id JOIN domains d ON d.id = u.domain_id LEFT JOIN projects p ON p.id = t.project_id
            WHERE t.token_hash = @tokenHash AND u.enabled = 1
            """, new { tokenHash });
        if (row is null || (row.TokenProjectId.Length > 0 && row.ProjectName.Length == 0))
        {
            return null;
        }

        var project = row.TokenProjectId.Length == 0 ? null : new ProjectRow(row.TokenProjectId, row.ProjectName, row.DomainId);
        return new TokenScope(new UserRow(row.Id, row.Name, row.DomainId, row.DomainName, row.PasswordHash, row.Enabled, row.IsAdmin, row.CreatedAt), project, row.ExpiresAt)
        {
            DomainSystem = row.DomainSystem != 0,
        };
    }

    /// <summary>Removes tokens that expired before <paramref name="now"/> (ms); returns how many.</summary>
    public int DeleteExpiredTokens(long now)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM tokens WHERE expires_at < @now", new { now });
    }

    private sealed record TokenRow(long ExpiresAt, string TokenProjectId, string ProjectName, long DomainSystem, string Id, string Name, string DomainId, string DomainName, string PasswordHash, long Enabled, long IsAdmin, long CreatedAt);
}
