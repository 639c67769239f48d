namespace Infera.Core.Identity;

/// <summary>
/// Who is calling (R-P2, R-S4), as resolved by authentication: the account, the project the call is scoped to, and
/// the user. For an app-authenticated inference call the user is the app's creator and <see cref="AppId"/> is set.
/// </summary>
/// <param name="DomainId">Account id.</param>
/// <param name="DomainName">Account name.</param>
/// <param name="ProjectId">Project id (32 hex); empty for a domain-scoped token, or for an AK/SK call on another project's service.</param>
/// <param name="ProjectName">Project name; empty when <paramref name="ProjectId"/> is.</param>
/// <param name="UserId">User id.</param>
/// <param name="UserName">User name.</param>
public sealed record CallerIdentity(string DomainId, string DomainName, string ProjectId, string ProjectName, string UserId, string UserName)
{
    /// <summary>How the caller authenticated: one of the <see cref="AuthMethods"/> values.</summary>
    public string AuthMethod { get; init; } = AuthMethods.Token;

    /// <summary>True for an account administrator (may manage users, projects and every project of the account).</summary>
    public bool IsAccountAdmin { get; init; }

    /// <summary>True when the account is the first (system) account, whose administrators may create accounts.</summary>
    public bool IsSystemAccount { get; init; }

    /// <summary>The app, for app authentication (signature, AppCode or apikey); null for IAM callers.</summary>
    public string? AppId { get; init; }

    /// <summary>The app's name, when <see cref="AppId"/> is set.</summary>
    public string? AppName { get; init; }
}

/// <summary>The authentication methods of spec/auth.md §1.</summary>
public static class AuthMethods
{
    /// <summary><c>X-Auth-Token</c> (IAM token).</summary>
    public const string Token = "token";

    /// <summary><c>SDK-HMAC-SHA256</c> with an IAM access key.</summary>
    public const string AkSk = "aksk";

    /// <summary><c>SDK-HMAC-SHA256</c> with an app's AppKey/AppSecret.</summary>
    public const string AppSignature = "app_signature";

    /// <summary><c>X-Apig-AppCode</c> simple authentication.</summary>
    public const string AppCode = "app_code";

    /// <summary><c>apikey: &lt;AppKey&gt;</c> simple authentication.</summary>
    public const string ApiKey = "apikey";
}
