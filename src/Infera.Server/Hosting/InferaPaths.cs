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
