namespace Infera.Core.Identity;

/// <summary>Who is calling, as resolved from a valid project-scoped token (R-P2).</summary>
/// <param name="DomainId">Account id.</param>
/// <param name="DomainName">Account name.</param>
/// <param name="ProjectId">Project id (32 hex).</param>
/// <param name="ProjectName">Project name.</param>
/// <param name="UserId">User id.</param>
/// <param name="UserName">User name.</param>
public sealed record CallerIdentity(string DomainId, string DomainName, string ProjectId, string ProjectName, string UserId, string UserName);
