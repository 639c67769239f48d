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
    public sealed record UserRow(string Id, string Name, string DomainId, string DomainName, string PasswordHash, long Enabled);

    /// <summary>A stored project.</summary>
    /// <param name="Id">Project id (32 hex).</param>
    /// <param name="Name">Project name.</param>
    /// <param name="DomainId">Owning account id.</param>
    public sealed record ProjectRow(string Id, string Name, string DomainId);

    /// <summary>True when no account exists yet (first start).</summary>
    public bool IsEmpty()
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM domains") == 0;
    }

    /// <summary>Creates an account, its first project and its admin user in one transaction.</summary>
    public void CreateAccount(string domainId, string domainName, string projectId, string projectName, string userId, string userName, string passwordHash, long now)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        c.Execute("INSERT INTO domains (id, name, created_at) VALUES (@domainId, @domainName, @now)", new { domainId, domainName, now }, t);
        c.Execute("INSERT INTO projects (id, name, domain_id, created_at) VALUES (@projectId, @projectName, @domainId, @now)", new { projectId, projectName, domainId, now }, t);
        c.Execute("INSERT INTO users (id, name, domain_id, password_hash, enabled, created_at) VALUES (@userId, @userName, @domainId, @passwordHash, 1, @now)",
            new { userId, userName, domainId, passwordHash, now }, t);
        t.Commit();
    }

    /// <summary>Finds a user by account name and user name, or null.</summary>
    public UserRow? FindUser(string domainName, string userName)
    {
        using var c = database.Open();
        return c.QuerySingleOrDefault<UserRow>(
            """
            SELECT u.id AS Id, u.name AS Name, u.domain_id AS DomainId, d.name AS DomainName, u.password_hash AS PasswordHash, u.enabled AS Enabled
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

    /// <summary>Stores a token hash with its scope and lifetime (ms since the epoch).</summary>
    public void InsertToken(string tokenHash, string userId, string projectId, long issuedAt, long expiresAt)
    {
        using var c = database.Open();
        c.Execute("INSERT INTO tokens (token_hash, user_id, project_id, issued_at, expires_at) VALUES (@tokenHash, @userId, @projectId, @issuedAt, @expiresAt)",
            new { tokenHash, userId, projectId, issuedAt, expiresAt });
    }

    /// <summary>Looks a token hash up and returns its identity and expiry (ms), or null when unknown or the user is disabled.</summary>
    public (CallerIdentity Caller, long ExpiresAt)? FindToken(string tokenHash)
    {
        using var c = database.Open();
        var row = c.QuerySingleOrDefault<TokenRow>(
            """
            SELECT t.expires_at AS ExpiresAt, d.id AS DomainId, d.name AS DomainName, p.id AS ProjectId, p.name AS ProjectName,
                   u.id AS UserId, u.name AS UserName
            FROM tokens t JOIN users u ON u.id = t.user_id JOIN projects p ON p.id = t.project_id JOIN domains d ON d.id = u.domain_id
            WHERE t.token_hash = @tokenHash AND u.enabled = 1
            """, new { tokenHash });
        return row is null
            ? null
            : (new CallerIdentity(row.DomainId, row.DomainName, row.ProjectId, row.ProjectName, row.UserId, row.UserName), row.ExpiresAt);
    }

    /// <summary>Removes tokens that expired before <paramref name="now"/> (ms); returns how many.</summary>
    public int DeleteExpiredTokens(long now)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM tokens WHERE expires_at < @now", new { now });
    }

    private sealed record TokenRow(long ExpiresAt, string DomainId, string DomainName, string ProjectId, string ProjectName, string UserId, string UserName);
}
