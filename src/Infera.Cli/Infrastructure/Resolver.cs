using Infera.Client;
using Infera.Client.Models;
using Infera.Client.Services;

namespace Infera.Cli.Infrastructure;

/// <summary>
/// Turns what people type into ids: a model is an id, <c>name:version</c>, or a name; a service is an id or a name.
/// Names are looked up by listing; a UUID is taken as an id without a lookup. Apps are an id or a name; users and
/// projects are an id or a name within the caller's account.
/// </summary>
internal static class Resolver
{
    /// <summary>Resolves a model reference to an id.</summary>
    /// <param name="client">The client.</param>
    /// <param name="reference">An id, <c>name:version</c>, or a name.</param>
    /// <param name="allowLatest">For a bare name with several versions: take the newest (<see langword="true"/>) or refuse (<see langword="false"/>).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The model id.</returns>
    public static async Task<string> ResolveModelAsync(InferaClient client, string reference, bool allowLatest, CancellationToken cancellationToken)
    {
        reference = reference.Trim();
        if (reference.Length == 0)
        {
            throw CliException.Usage("a model id or name:version is required");
        }

        if (Guid.TryParse(reference, out _))
        {
            return reference;
        }

        var colon = reference.LastIndexOf(':');
        if (colon > 0)
        {
            var name = reference[..colon];
            var version = reference[(colon + 1)..];
            var list = await client.ListModelsAsync(new ModelListQuery { ModelName = name, ExactMatch = true, ModelVersion = version }, cancellationToken);
            var match = list.Models.FirstOrDefault(m => m.ModelName == name && m.ModelVersion == version);
            return match?.ModelId ?? throw CliException.NotFound($"model {name} version {version} not found");
        }

        var byName = (await client.ListModelsAsync(new ModelListQuery { ModelName = reference, ExactMatch = true }, cancellationToken))
            .Models.Where(m => m.ModelName == reference)
            .OrderByDescending(m => m.CreateAt ?? 0)
            .ToList();
        return byName.Count switch
        {
            // Not a name: take it as an id and let the server say whether it exists.
            0 => reference,
            1 => byName[0].ModelId,
            _ when allowLatest => byName[0].ModelId,
            _ => throw CliException.Usage(
                $"model {reference} has several versions ({string.Join(", ", byName.Select(m => m.ModelVersion))}); say which one as {reference}:<version>"),
        };
    }

    /// <summary>Resolves a service reference to an id.</summary>
    /// <param name="client">The client.</param>
    /// <param name="reference">An id or a service name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The service id.</returns>
    public static async Task<string> ResolveServiceAsync(InferaClient client, string reference, CancellationToken cancellationToken)
    {
        reference = reference.Trim();
        if (reference.Length == 0)
        {
            throw CliException.Usage("a service id or name is required");
        }

        if (Guid.TryParse(reference, out _))
        {
            return reference;
        }

        var list = await client.ListServicesAsync(new ServiceListQuery { ServiceName = reference }, cancellationToken);
        var match = list.Services.FirstOrDefault(s => s.ServiceName == reference);
        return match?.ServiceId ?? reference;
    }

    /// <summary>Resolves an app reference to an id.</summary>
    /// <param name="client">The client.</param>
    /// <param name="reference">An app id (UUID) or an app name of the project.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The app id.</returns>
    /// <exception cref="CliException">No app has that name (<see cref="ExitCodes.NotFound"/>).</exception>
    public static async Task<string> ResolveAppAsync(InferaClient client, string reference, CancellationToken cancellationToken)
    {
        reference = Required(reference, "an app id or name");
        if (Guid.TryParse(reference, out _))
        {
            return reference;
        }

        var apps = await client.ListAppsAsync(cancellationToken);
        return apps.Apps.FirstOrDefault(a => a.AppName == reference)?.AppId ?? throw CliException.NotFound($"app {reference} not found");
    }

    /// <summary>Resolves a user reference (id or name) of the caller's account to a user id.</summary>
    /// <param name="client">The client.</param>
    /// <param name="reference">A user id or name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The user id.</returns>
    /// <exception cref="CliException">No such user (<see cref="ExitCodes.NotFound"/>).</exception>
    public static async Task<string> ResolveUserAsync(InferaClient client, string reference, CancellationToken cancellationToken)
    {
        reference = Required(reference, "a user id or name");
        var users = await client.ListUsersAsync(cancellationToken);
        return (users.FirstOrDefault(u => u.Id == reference) ?? users.FirstOrDefault(u => u.Name == reference))?.Id
            ?? throw CliException.NotFound($"user {reference} not found in this account");
    }

    /// <summary>Resolves a project reference (id or name) of the caller's account to a project id.</summary>
    /// <param name="client">The client.</param>
    /// <param name="reference">A project id or name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The project id.</returns>
    /// <exception cref="CliException">No such project (<see cref="ExitCodes.NotFound"/>).</exception>
    public static async Task<string> ResolveProjectAsync(InferaClient client, string reference, CancellationToken cancellationToken)
    {
        reference = Required(reference, "a project id or name");
        var projects = await client.ListProjectsAsync(cancellationToken);
        return (projects.FirstOrDefault(p => p.Id == reference) ?? projects.FirstOrDefault(p => p.Name == reference))?.Id
            ?? throw CliException.NotFound($"project {reference} not found in this account");
    }

    private static string Required(string reference, string what)
    {
        reference = reference.Trim();
        return reference.Length == 0 ? throw CliException.Usage($"{what} is required") : reference;
    }
}
