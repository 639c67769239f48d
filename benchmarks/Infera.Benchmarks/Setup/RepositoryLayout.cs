namespace Infera.Benchmarks.Setup;

/// <summary>Paths inside the Infera checkout the benchmark runs from.</summary>
internal sealed record RepositoryLayout(string Root)
{
    /// <summary>The sample build script.</summary>
    public string SampleBuilder => Path.Combine(Root, "samples", "build_samples.py");

    /// <summary>The Python model-service runtime, used by both the gateway's instance and the direct worker.</summary>
    public string PythonRuntime => Path.Combine(Root, "runtimes", "python");

    /// <summary>The worker entry point inside <see cref="PythonRuntime"/>.</summary>
    public string Worker => Path.Combine(PythonRuntime, "infera_worker.py");

    /// <summary>Walks up from the build output (then the working folder) to the folder holding <c>Infera.slnx</c>.</summary>
    public static RepositoryLayout Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Infera.slnx")) && File.Exists(Path.Combine(dir.FullName, "samples", "build_samples.py")))
                {
                    return new RepositoryLayout(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException("Cannot find the Infera checkout (a folder with Infera.slnx and samples/build_samples.py) above the build output or the working folder.");
    }
}
