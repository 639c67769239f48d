namespace Infera.Server.Hosting;

/// <summary>The layout of the data folder (ARCHITECTURE "Storage layout").</summary>
public sealed class InferaPaths
{
    /// <summary>Creates the folders under <paramref name="dataDirectory"/> if missing.</summary>
    public InferaPaths(string dataDirectory)
    {
        Root = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(ObjectStore);
        Directory.CreateDirectory(Models);
        Directory.CreateDirectory(Instances);
        Directory.CreateDirectory(Environments);
    }

    /// <summary>
    /// Per-version runtime environments (MISSION R-M10): <c>envs/&lt;model_id&gt;/</c> is a venv that sees the system
    /// packages, present only when the version ships wheels; <c>envs/&lt;model_id&gt;.build.log</c> is the log of the
    /// last build.
    /// </summary>
    public string Environments => Path.Combine(Root, "envs");

    /// <summary>The venv interpreter of a model version, or null when the version has no environment of its own.</summary>
    /// <param name="modelId">The model version.</param>
    /// <returns><c>envs/&lt;model_id&gt;/bin/python</c> when it exists, else null.</returns>
    public string? EnvironmentPython(string modelId)
    {
        var python = Path.Combine(Environments, modelId, "bin", "python");
        return File.Exists(python) ? python : null;
    }

    /// <summary>The data folder.</summary>
    public string Root { get; }

    /// <summary>The SQLite file.</summary>
    public string Database => Path.Combine(Root, "infera.db");

    /// <summary>The local object store (one folder per bucket).</summary>
    public string ObjectStore => Path.Combine(Root, "obs");

    /// <summary>Immutable copies of imported packages, one folder per model id.</summary>
    public string Models => Path.Combine(Root, "models");

    /// <summary>Working folders and logs of instances, one per instance id.</summary>
    public string Instances => Path.Combine(Root, "instances");

    /// <summary>The admin password written on first start (mode 0600).</summary>
    public string AdminPasswordFile => Path.Combine(Root, "admin-password");

    /// <summary>The default key file that encrypts stored secrets (see <see cref="InferaServerOptions.SecretsKeyFile"/>).</summary>
    public string SecretsKeyFile => Path.Combine(Root, "secrets.key");
}
