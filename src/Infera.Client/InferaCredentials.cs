namespace Infera.Client;

/// <summary>A password login the client uses to obtain (and renew) a project-scoped token by itself.</summary>
/// <param name="Domain">The account (domain) name.</param>
/// <param name="User">The user name.</param>
/// <param name="Password">The password.</param>
/// <param name="ProjectName">The project name; <see langword="null"/> uses the domain's default project.</param>
public sealed record InferaCredentials(string Domain, string User, string Password, string? ProjectName)
{
    /// <summary>Hides the password from logs and debugger displays.</summary>
    /// <returns>The record without the password.</returns>
    public override string ToString() => $"InferaCredentials {{ Domain = {Domain}, User = {User}, ProjectName = {ProjectName} }}";
}
