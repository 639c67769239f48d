using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Infera.Core;
using Infera.Core.Errors;
using Infera.Core.Identity;
using Infera.Storage.Stores;

namespace Infera.Server.Identity;

/// <summary>
/// IAM management (R-P2): accounts (created by administrators of the system account), projects and users of an
/// account (created by its administrators), project membership, password changes, enabling/disabling users, and
/// access keys (AK/SK) whose secret is shown once and stored encrypted. Errors use the <c>IAM.*</c> codes listed in
/// docs/api.md: 400 IAM.0011 bad parameter, 403 IAM.0003 not allowed, 404 IAM.0004 not found, 409 IAM.0012 exists.
/// </summary>
public sealed class IamManager(IdentityStore store, AccessKeyStore keys, SecretProtector protector, AuthOptions options, TimeProvider time)
{
    /// <summary>Creates an account with its first project and administrator (system-account administrators only).</summary>
    /// <returns><c>{"domain":{…},"project":{…},"user":{…}}</c>.</returns>
    /// <exception cref="InferaException">403 not a system administrator, 400 bad names or password, 409 account exists.</exception>
    public JsonObject CreateAccount(CallerIdentity caller, string? name, string? projectName, string? adminName, string? adminPassword)
    {
        if (!caller.IsAccountAdmin || !caller.IsSystemAccount)
        {
            throw Forbidden("Only administrators of the system account may create accounts.");
        }

        RequireName("domain.name", name);
        RequireName("project.name", projectName ??= "default");
        RequireUserName("user.name", adminName ??= "admin");
        RequirePassword(adminPassword);
        var (domainId, projectId, userId) = (Ids.NewHex32(), Ids.NewHex32(), Ids.NewHex32());
        if (!store.CreateAccount(domainId, name!, projectId, projectName, userId, adminName, PasswordHasher.Hash(adminPassword!), Now()))
        {
            throw Exists($"An account named {name} already exists.");
        }

        return new JsonObject
        {
            ["domain"] = new JsonObject { ["id"] = domainId, ["name"] = name, ["enabled"] = true },
            ["project"] = ProjectView(new IdentityStore.ProjectRow(projectId, projectName, domainId)),
            ["user"] = UserView(store.FindUserById(userId)!),
        };
    }

    /// <summary>Accounts the caller may see: all for system administrators, else its own.</summary>
    public JsonObject ListAccounts(CallerIdentity caller)
    {
        var domains = store.ListDomains().Where(d => (caller.IsSystemAccount && caller.IsAccountAdmin) || d.Id == caller.DomainId);
        return new JsonObject
        {
            ["domains"] = new JsonArray(domains.Select(d => (JsonNode?)new JsonObject { ["id"] = d.Id, ["name"] = d.Name, ["enabled"] = true }).ToArray()),
        };
    }

    /// <summary>Creates a project in the caller's account (account administrators only).</summary>
    /// <exception cref="InferaException">403, 400 bad name, 409 name taken.</exception>
    public JsonObject CreateProject(CallerIdentity caller, string? name)
    {
        RequireAdmin(caller);
        RequireName("project.name", name);
        var id = Ids.NewHex32();
        if (!store.CreateProject(caller.DomainId, id, name!, Now()))
        {
            throw Exists($"A project named {name} already exists in this account.");
        }

        return new JsonObject { ["project"] = ProjectView(new IdentityStore.ProjectRow(id, name!, caller.DomainId)) };
    }

    /// <summary>Projects of the caller's account: all for administrators, else the caller's memberships.</summary>
    public JsonObject ListProjects(CallerIdentity caller)
    {
        var member = caller.IsAccountAdmin ? null : store.ListMemberships(caller.UserId).ToHashSet(StringComparer.Ordinal);
        var projects = store.ListProjects(caller.DomainId).Where(p => member is null || member.Contains(p.Id));
        return new JsonObject { ["projects"] = new JsonArray(projects.Select(p => (JsonNode?)ProjectView(p)).ToArray()) };
    }

    /// <summary>Creates a user in the caller's account (account administrators only); <paramref name="admin"/> makes it an account administrator.</summary>
    /// <exception cref="InferaException">403, 400 bad name or password, 409 name taken.</exception>
    public JsonObject CreateUser(CallerIdentity caller, string? name, string? password, bool admin)
    {
        RequireAdmin(caller);
        RequireUserName("user.name", name);
        RequirePassword(password);
        var id = Ids.NewHex32();
        if (!store.CreateUser(caller.DomainId, id, name!, PasswordHasher.Hash(password!), admin, Now()))
        {
            throw Exists($"A user named {name} already exists in this account.");
        }

        return new JsonObject { ["user"] = UserView(store.FindUserById(id)!) };
    }

    /// <summary>Users of the caller's account (administrators see all; others see themselves).</summary>
    public JsonObject ListUsers(CallerIdentity caller)
    {
        var users = store.ListUsers(caller.DomainId).Where(u => caller.IsAccountAdmin || u.Id == caller.UserId);
        return new JsonObject { ["users"] = new JsonArray(users.Select(u => (JsonNode?)UserView(u)).ToArray()) };
    }

    /// <summary>One user of the caller's account (administrators, or the user itself).</summary>
    /// <exception cref="InferaException">404 when the user is not in the caller's account or not visible.</exception>
    public JsonObject GetUser(CallerIdentity caller, string userId) => new() { ["user"] = UserView(VisibleUser(caller, userId)) };

    /// <summary>
    /// Updates a user (administrators): <paramref name="enabled"/> false disables it and invalidates its tokens;
    /// <paramref name="password"/> replaces its password and invalidates its tokens.
    /// </summary>
    /// <exception cref="InferaException">403, 404, 400 bad password or disabling oneself.</exception>
    public JsonObject UpdateUser(CallerIdentity caller, string userId, bool? enabled, string? password)
    {
        RequireAdmin(caller);
        var user = VisibleUser(caller, userId);
        if (enabled is false && user.Id == caller.UserId)
        {
            throw Invalid("An administrator cannot disable itself.");
        }

        if (password is not null)
        {
            RequirePassword(password);
            store.SetPassword(user.Id, PasswordHasher.Hash(password));
        }

        if (enabled is not null)
        {
            store.SetEnabled(user.Id, enabled.Value);
        }

        return new JsonObject { ["user"] = UserView(store.FindUserById(user.Id)!) };
    }

    /// <summary>Changes the caller's own password after checking the current one; every token of the user stops working.</summary>
    /// <exception cref="InferaException">403 another user's password, 401 IAM.0002 wrong original password, 400 weak password.</exception>
    public void ChangeOwnPassword(CallerIdentity caller, string userId, string? originalPassword, string? password)
    {
        if (userId != caller.UserId)
        {
            throw Forbidden("Users change their own password; administrators use PATCH /v3/users/{user_id}.");
        }

        var user = store.FindUserById(userId)!;
        if (originalPassword is null || !PasswordHasher.Verify(originalPassword, user.PasswordHash))
        {
            throw new InferaException(401, "IAM.0002", "The original password is wrong.");
        }

        RequirePassword(password);
        store.SetPassword(userId, PasswordHasher.Hash(password!));
    }

    /// <summary>Makes a user a project member (administrators; role <c>member</c>).</summary>
    /// <exception cref="InferaException">403, 404 project or user not in the account, 400 unknown role.</exception>
    public void SetMember(CallerIdentity caller, string projectId, string userId, string roleId, bool member)
    {
        RequireAdmin(caller);
        var project = store.FindProjectById(projectId);
        if (project is null || project.DomainId != caller.DomainId)
        {
            throw NotFound($"Project {projectId}");
        }

        var user = VisibleUser(caller, userId);
        if (roleId is not ("member" or "te_member"))
        {
            throw Invalid($"Unknown role {roleId}: projects have one role, member (account administrators need none).");
        }

        if (member)
        {
            store.AddMember(project.Id, user.Id, Now());
        }
        else if (!store.RemoveMember(project.Id, user.Id))
        {
            throw NotFound($"Membership of user {userId} in project {projectId}");
        }
    }

    /// <summary>The roles of a user in a project: <c>member</c> when a member, <c>te_admin</c> for account administrators.</summary>
    public JsonObject ListRoles(CallerIdentity caller, string projectId, string userId)
    {
        var user = VisibleUser(caller, userId);
        var roles = new JsonArray();
        if (user.IsAdmin != 0)
        {
            roles.Add(new JsonObject { ["id"] = "te_admin", ["name"] = "te_admin" });
        }

        if (store.IsMember(projectId, user.Id))
        {
            roles.Add(new JsonObject { ["id"] = "member", ["name"] = "member" });
        }

        return new JsonObject { ["roles"] = roles };
    }

    /// <summary>
    /// Creates an access key for a user (itself, or any user of the account for administrators). The SK is in this
    /// answer only; the server keeps it encrypted with its key file.
    /// </summary>
    /// <returns><c>{"credential":{"access","secret","status","create_time","user_id","description"}}</c>.</returns>
    /// <exception cref="InferaException">403, 404, 400 quota (<see cref="AuthOptions.MaxAccessKeysPerUser"/>).</exception>
    public JsonObject CreateAccessKey(CallerIdentity caller, string? userId, string? description)
    {
        var user = VisibleUser(caller, userId ?? caller.UserId);
        if (description is { Length: > 255 })
        {
            throw Invalid("credential.description is at most 255 characters.");
        }

        var access = NewAccessKey();
        var secret = NewSecretKey();
        var row = new AccessKeyStore.AccessKeyRow(access, user.Id, protector.Protect(secret, "ak:" + access), description ?? "", "active", Now());
        if (!keys.TryInsert(row, options.MaxAccessKeysPerUser))
        {
            throw Invalid($"A user may hold at most {options.MaxAccessKeysPerUser} access keys; delete one first.");
        }

        var view = KeyView(row);
        view["secret"] = secret;
        return new JsonObject { ["credential"] = view };
    }

    /// <summary>The access keys of a user (never the secrets).</summary>
    public JsonObject ListAccessKeys(CallerIdentity caller, string? userId)
    {
        var user = VisibleUser(caller, userId ?? caller.UserId);
        return new JsonObject { ["credentials"] = new JsonArray(keys.ListByUser(user.Id).Select(k => (JsonNode?)KeyView(k)).ToArray()) };
    }

    /// <summary>One access key (never the secret).</summary>
    /// <exception cref="InferaException">404 unknown or not visible.</exception>
    public JsonObject GetAccessKey(CallerIdentity caller, string access) => new() { ["credential"] = KeyView(VisibleKey(caller, access)) };

    /// <summary>Sets an access key <c>active</c> or <c>inactive</c> and/or its description.</summary>
    /// <exception cref="InferaException">404, 400 bad status.</exception>
    public JsonObject UpdateAccessKey(CallerIdentity caller, string access, string? status, string? description)
    {
        var key = VisibleKey(caller, access);
        if (status is not null and not ("active" or "inactive"))
        {
            throw Invalid("credential.status is active or inactive.");
        }

        if (status is not null)
        {
            keys.SetStatus(key.AccessKey, status);
        }

        if (description is not null)
        {
            keys.SetDescription(key.AccessKey, description);
        }

        return new JsonObject { ["credential"] = KeyView(keys.Find(key.AccessKey)!) };
    }

    /// <summary>Deletes an access key; signatures made with it fail at once.</summary>
    /// <exception cref="InferaException">404 unknown or not visible.</exception>
    public void DeleteAccessKey(CallerIdentity caller, string access) => keys.Delete(VisibleKey(caller, access).AccessKey);

    private IdentityStore.UserRow VisibleUser(CallerIdentity caller, string userId)
    {
        var user = store.FindUserById(userId);
        return user is not null && user.DomainId == caller.DomainId && (caller.IsAccountAdmin || user.Id == caller.UserId)
            ? user
            : throw NotFound($"User {userId}");
    }

    private AccessKeyStore.AccessKeyRow VisibleKey(CallerIdentity caller, string access)
    {
        var key = keys.Find(access);
        if (key is not null)
        {
            var owner = store.FindUserById(key.UserId);
            if (owner is not null && owner.DomainId == caller.DomainId && (caller.IsAccountAdmin || owner.Id == caller.UserId))
            {
                return key;
            }
        }

        throw NotFound($"Access key {access}");
    }

    private static JsonObject KeyView(AccessKeyStore.AccessKeyRow k) => new()
    {
        ["access"] = k.AccessKey,
        ["status"] = k.Status,
        ["user_id"] = k.UserId,
        ["description"] = k.Description,
        ["create_time"] = DateTimeOffset.FromUnixTimeMilliseconds(k.CreatedAt).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
    };

    private static JsonObject ProjectView(IdentityStore.ProjectRow p) => new()
    {
        ["id"] = p.Id, ["name"] = p.Name, ["domain_id"] = p.DomainId, ["enabled"] = true, ["is_domain"] = false,
    };

    private static JsonObject UserView(IdentityStore.UserRow u) => new()
    {
        ["id"] = u.Id, ["name"] = u.Name, ["domain_id"] = u.DomainId, ["enabled"] = u.Enabled != 0, ["is_domain_owner"] = u.IsAdmin != 0,
        ["create_time"] = u.CreatedAt,
    };

    /// <summary>AKs are 20 upper-case alphanumerics (spec §7), so they never collide with AppKeys (32 lower-case hex).</summary>
    private static string NewAccessKey() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20);

    /// <summary>40 characters of letters and digits, like Huawei's SKs.</summary>
    private static string NewSecretKey() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);

    private static void RequireAdmin(CallerIdentity caller)
    {
        if (!caller.IsAccountAdmin)
        {
            throw Forbidden("Only account administrators may manage projects and users.");
        }
    }

    private static void RequireName(string field, string? name)
    {
        if (!Naming.IsValidName(name))
        {
            throw Invalid($"{field} must be 1-64 letters, Chinese characters, digits, '-' or '_'.");
        }
    }

    private static void RequireUserName(string field, string? name)
    {
        if (name is null || name.Length is < 1 or > 64 || !name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ' '))
        {
            throw Invalid($"{field} must be 1-64 letters, digits, spaces, '-', '_' or '.'.");
        }
    }

    private static void RequirePassword(string? password)
    {
        if (password is null || password.Length is < 8 or > 128)
        {
            throw Invalid("The password must be 8-128 characters.");
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static InferaException Invalid(string message) => new(400, "IAM.0011", message);

    private static InferaException Forbidden(string message) => new(403, "IAM.0003", message);

    private static InferaException NotFound(string what) => new(404, "IAM.0004", $"{what} does not exist.");

    private static InferaException Exists(string message) => new(409, "IAM.0012", message);
}
