using System.Text.RegularExpressions;

namespace Infera.Core;

/// <summary>Name, version and description rules of the ModelArts API (spec §2.1, §3.1; seed 003 table 2-3).</summary>
public static partial class Naming
{
    /// <summary>True when <paramref name="name"/> is 1–64 letters, Chinese characters, digits, <c>-</c> or <c>_</c>.</summary>
    public static bool IsValidName(string? name) => name is not null && NameRegex().IsMatch(name);

    /// <summary>True for <c>A.B.C</c> with parts 0–99 and no leading zero (spec §2.1 [P]).</summary>
    public static bool IsValidVersion(string? version) => version is not null && VersionRegex().IsMatch(version);

    /// <summary>True when a description has at most 100 characters and none of <paramref name="forbidden"/>.</summary>
    public static bool IsValidDescription(string? description, string forbidden) =>
        description is null || (description.Length <= 100 && description.IndexOfAny(forbidden.ToCharArray()) < 0);

    /// <summary>Characters forbidden in a model description (spec §2.1).</summary>
    public const string ModelDescriptionForbidden = "&!'\"<>=";

    /// <summary>Characters forbidden in a service description on create (spec §3.1).</summary>
    public const string ServiceDescriptionForbidden = "!<>+&\"'";

    [GeneratedRegex(@"^[A-Za-z0-9\-_\p{IsCJKUnifiedIdeographs}]{1,64}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^(0|[1-9]\d?)\.(0|[1-9]\d?)\.(0|[1-9]\d?)$")]
    private static partial Regex VersionRegex();
}
