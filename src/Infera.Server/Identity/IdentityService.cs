using System.Security.Cryptography;
using System.Text;
using Infera.Core;
using Infera.Core.Identity;
using Infera.Server.Hosting;
using Infera.Storage.Stores;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Identity;

/// <summary>
/// IAM tokens (R-P2, spec/auth.md §3): the first-start bootstrap of account <c>default</c>, project <c>default</c> and
/// user <c>admin</c>; password tokens scoped to a project or to the account, valid 24 h, stored only as SHA-256 hashes.
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
    /// Issues a token for a password login (spec/auth.md §3.1): project-scoped when <paramref name="projectId"/> or
    /// <paramref name="projectName"/> is given (the user must be an account administrator or a member of the project),
    /// otherwise domain-scoped. Returns null when the account, user or password is wrong or the user is disabled (the
    /// caller answers 401 without saying which).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The project does not exist in the account.</exception>
    /// <exception cref="UnauthorizedAccessException">The user is not a member of the project.</exception>
    public IssuedToken? IssueToken(string domainName, string userName, string password, string? projectId, string? projectName)
    {
        var user = store.FindUser(domainName, userName);
        if (user is null || user.Enabled == 0 || !PasswordHasher.Verify(password, user.PasswordHash))
        {
            return null;
        }

        IdentityStore.ProjectRow? project = null;
        if (projectId is not null || projectName is not null)
        {
            project = store.FindProject(user.DomainId, projectId, projectName)
                ?? throw new KeyNotFoundException($"Project {projectId ?? projectName} does not exist in account {domainName}.");
            if (!CanAccess(user, project))
            {
                throw new UnauthorizedAccessException($"User {userName} is not a member of project {project.Name}.");
            }
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var expires = now + TokenLifetime;
        // Expired rows are useless (validation refuses them); pruning at issue time keeps the table bounded.
        store.DeleteExpiredTokens(now.ToUnixTimeMilliseconds());
        store.InsertToken(HashToken(token), user.Id, project?.Id ?? "", now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds());
        return new IssuedToken(token, ToCaller(user, project, AuthMethods.Token), now, expires);
    }

    /// <summary>Resolves a token: the identity (project empty for a domain-scoped token), or the reason it is not valid (spec/auth.md §3.2 wording).</summary>
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

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(found.ExpiresAt);
        if (time.GetUtcNow() >= expiresAt)
        {
            return (null, $"token expires, expires_at: {expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}");
        }

        return (ToCaller(found.User, found.Project, AuthMethods.Token, found.DomainSystem), null);
    }

    /// <summary>True when the user may work in the project: same account and either account administrator or member.</summary>
    public bool CanAccess(IdentityStore.UserRow user, IdentityStore.ProjectRow project) =>
        user.DomainId == project.DomainId && (user.IsAdmin != 0 || store.IsMember(project.Id, user.Id));

    /// <summary>
    /// The identity of an IAM user working in <paramref name="projectId"/>, or with an empty project when the project
    /// does not exist or the user may not access it (callers then answer 404 for project resources).
    /// </summary>
    public CallerIdentity ResolveInProject(IdentityStore.UserRow user, string? projectId, string authMethod)
    {
        var project = string.IsNullOrEmpty(projectId) ? null : store.FindProjectById(projectId);
        return ToCaller(user, project is not null && CanAccess(user, project) ? project : null, authMethod);
    }

    /// <summary>Builds the caller of a user scoped to a project (or none).</summary>
    /// <param name="user">The user.</param>
    /// <param name="project">The project, or null.</param>
    /// <param name="authMethod">One of <see cref="AuthMethods"/>.</param>
    /// <param name="systemAccount">Whether the user's account is the system account; looked up when null.</param>
    public CallerIdentity ToCaller(IdentityStore.UserRow user, IdentityStore.ProjectRow? project, string authMethod, bool? systemAccount = null) =>
        new(user.DomainId, user.DomainName, project?.Id ?? "", project?.Name ?? "", user.Id, user.Name)
        {
            AuthMethod = authMethod,
            IsAccountAdmin = user.IsAdmin != 0,
            IsSystemAccount = systemAccount ?? store.FindDomain(user.DomainId)?.System == 1,
        };

    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [LoggerMessage(EventId = 1001, EventName = "IdentityBootstrapped", Level = LogLevel.Warning,
        Message = "First start: created account 'default', project 'default' ({ProjectId}) and user 'admin' with password {Password} (also in {PasswordFile}; shown only once).")]
    private static partial void LogBootstrapped(ILogger logger, string projectId, string password, string passwordFile);
}
