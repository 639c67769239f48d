using System.Security.Cryptography;
using System.Text;
using Infera.Core;
using Infera.Core.Identity;
using Infera.Server.Hosting;
using Infera.Storage.Stores;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Identity;

/// <summary>
/// IAM-lite (R-P2, issue 2 scope): the first-start bootstrap of account <c>default</c>, project <c>default</c> and
/// user <c>admin</c>; password tokens scoped to a project, valid 24 h, stored only as SHA-256 hashes.
/// </summary>
public sealed partial class IdentityService(IdentityStore store, InferaPaths paths, TimeProvider time, ILogger<IdentityService> logger)
{
    /// <summary>Token lifetime (spec §1: 24 h).</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// On first start creates the default account, project (32-hex id) and admin user with a random password,
    /// written to <c>&lt;data&gt;/admin-password</c> with owner-only permissions and logged once.
    /// </summary>
    public void Bootstrap()
    {
        if (!store.IsEmpty())
        {
            return;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'A').Replace('/', 'b');
        var passwordFile = paths.AdminPasswordFile;
        File.WriteAllText(passwordFile, password + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var projectId = Ids.NewHex32();
        store.CreateAccount(Ids.NewHex32(), "default", projectId, "default", Ids.NewHex32(), "admin", PasswordHasher.Hash(password), time.GetUtcNow().ToUnixTimeMilliseconds());
        LogBootstrapped(logger, projectId, password, passwordFile);
    }

    /// <summary>
    /// Issues a project-scoped token for a password login. Returns null when the account, user or password is
    /// wrong or the user is disabled (the caller answers 401 without saying which), and throws
    /// <see cref="KeyNotFoundException"/> when the project does not exist in the account.
    /// </summary>
    public IssuedToken? IssueToken(string domainName, string userName, string password, string? projectId, string? projectName)
    {
        var user = store.FindUser(domainName, userName);
        if (user is null || user.Enabled == 0 || !PasswordHasher.Verify(password, user.PasswordHash))
        {
            return null;
        }

        var project = store.FindProject(user.DomainId, projectId, projectName)
            ?? throw new KeyNotFoundException($"Project {projectId ?? projectName} does not exist in account {domainName}.");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var expires = now + TokenLifetime;
        // Expired rows are useless (validation refuses them); pruning at issue time keeps the table bounded.
        store.DeleteExpiredTokens(now.ToUnixTimeMilliseconds());
        store.InsertToken(HashToken(token), user.Id, project.Id, now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds());
        var caller = new CallerIdentity(user.DomainId, user.DomainName, project.Id, project.Name, user.Id, user.Name);
        return new IssuedToken(token, caller, now, expires);
    }

    /// <summary>Resolves a token: the identity, or the reason it is not valid (spec/auth.md §3.2 wording).</summary>
    public (CallerIdentity? Caller, string? Failure) ValidateToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, "x-auth-token not found");
        }

        var found = store.FindToken(HashToken(token));
        if (found is null)
        {
            return (null, "decrypt token fail");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(found.Value.ExpiresAt);
        if (time.GetUtcNow() >= expiresAt)
        {
            return (null, $"token expires, expires_at: {expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}");
        }

        return (found.Value.Caller, null);
    }

    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [LoggerMessage(EventId = 1001, EventName = "IdentityBootstrapped", Level = LogLevel.Warning,
        Message = "First start: created account 'default', project 'default' ({ProjectId}) and user 'admin' with password {Password} (also in {PasswordFile}; shown only once).")]
    private static partial void LogBootstrapped(ILogger logger, string projectId, string password, string passwordFile);
}
