using System.Text.Json;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Profiles;

/// <summary>
/// Reads and writes the profile file. The path is <c>$INFERA_CONFIG</c>, or <c>~/.infera/config.json</c>.
/// The file holds tokens, so it is written with mode 0600 (and its folder 0700) and replaced atomically.
/// </summary>
internal sealed class ProfileStore
{
    /// <summary>The profile name used when none is given.</summary>
    public const string DefaultProfileName = "default";

    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates a store for the file at <paramref name="path"/>.</summary>
    /// <param name="path">The profile file.</param>
    public ProfileStore(string path)
    {
        Path = path;
    }

    /// <summary>The profile file.</summary>
    public string Path { get; }

    /// <summary>Finds the profile file from the environment.</summary>
    /// <param name="getEnvironmentVariable">Reads a variable.</param>
    /// <returns>The store.</returns>
    public static ProfileStore FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        var configured = getEnvironmentVariable("INFERA_CONFIG");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new ProfileStore(System.IO.Path.GetFullPath(configured));
        }

        var home = getEnvironmentVariable("HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return new ProfileStore(System.IO.Path.Combine(home, ".infera", "config.json"));
    }

    /// <summary>Reads the file; a missing file is an empty configuration.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configuration.</returns>
    public async Task<CliConfigFile> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return new CliConfigFile();
        }

        try
        {
            await using var stream = File.OpenRead(Path);
            return await JsonSerializer.DeserializeAsync<CliConfigFile>(stream, CliJson.Options, cancellationToken) ?? new CliConfigFile();
        }
        catch (JsonException ex)
        {
            throw new CliException($"{Path} is not valid JSON ({ex.Message}); fix or delete it and run infera login");
        }
    }

    /// <summary>Reads one profile.</summary>
    /// <param name="name">The profile name, or <see langword="null"/> for the current one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The profile, or <see langword="null"/> when there is none.</returns>
    public async Task<CliProfile?> GetAsync(string? name, CancellationToken cancellationToken)
    {
        var config = await LoadAsync(cancellationToken);
        return config.Profiles.GetValueOrDefault(name ?? config.CurrentProfile);
    }

    /// <summary>Saves a profile and makes it the current one.</summary>
    /// <param name="name">The profile name.</param>
    /// <param name="profile">The profile.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public async Task SaveAsync(string name, CliProfile profile, CancellationToken cancellationToken)
    {
        var config = await LoadAsync(cancellationToken);
        var profiles = new Dictionary<string, CliProfile>(config.Profiles, StringComparer.Ordinal) { [name] = profile };
        await WriteAsync(config with { CurrentProfile = name, Profiles = profiles }, cancellationToken);
    }

    /// <summary>Writes the whole file atomically with mode 0600.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public async Task WriteAsync(CliConfigFile config, CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, DirectoryMode700);
            }
        }

        var temporary = $"{Path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await JsonSerializer.SerializeAsync(stream, config, CliJson.Options, cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode is masked by the umask and ignored for an existing file: set it explicitly.
                File.SetUnixFileMode(temporary, FileMode600);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
