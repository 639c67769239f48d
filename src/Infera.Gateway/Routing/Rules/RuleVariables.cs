using Infera.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Routing.Rules;

/// <summary>
/// What a condition can read (seed 003 table 3-7 and the <c>#HEADER_</c> form): the caller's identity and the
/// request headers. A header that is absent reads as null (Java/SpEL <c>null</c>); several values of one header
/// read as they arrived, joined with a comma.
/// </summary>
public readonly struct RuleVariables(CallerIdentity caller, IHeaderDictionary headers)
{
    /// <summary>The value of <paramref name="variable"/>, or null for an absent header.</summary>
    internal string? Get(RuleVariable variable) => variable.Kind switch
    {
        RuleVariableKind.DomainName => caller.DomainName,
        RuleVariableKind.DomainId => caller.DomainId,
        RuleVariableKind.ProjectName => caller.ProjectName,
        RuleVariableKind.ProjectId => caller.ProjectId,
        RuleVariableKind.UserName => caller.UserName,
        RuleVariableKind.UserId => caller.UserId,
        _ => headers.TryGetValue(variable.HeaderName, out var values) && values.Count > 0 ? values.ToString() : null,
    };
}

/// <summary>The built-in variables of seed 003 table 3-7, plus request headers.</summary>
internal enum RuleVariableKind
{
    DomainName,
    DomainId,
    ProjectName,
    ProjectId,
    UserName,
    UserId,
    Header,
}

/// <summary>A resolved <c>#NAME</c> reference.</summary>
internal sealed record RuleVariable(RuleVariableKind Kind, string HeaderName)
{
    /// <summary>The header prefix of seed 003 (<c>#HEADER_{key}</c>).</summary>
    public const string HeaderPrefix = "HEADER_";

    /// <summary>Names accepted after <c>#</c> besides <c>HEADER_{key}</c>.</summary>
    public static readonly IReadOnlyDictionary<string, RuleVariableKind> BuiltIns = new Dictionary<string, RuleVariableKind>(StringComparer.Ordinal)
    {
        ["DOMAIN_NAME"] = RuleVariableKind.DomainName,
        ["DOMAIN_ID"] = RuleVariableKind.DomainId,
        ["PROJECT_NAME"] = RuleVariableKind.ProjectName,
        ["PROJECT_ID"] = RuleVariableKind.ProjectId,
        ["USER_NAME"] = RuleVariableKind.UserName,
        ["USER_ID"] = RuleVariableKind.UserId,
    };
}
