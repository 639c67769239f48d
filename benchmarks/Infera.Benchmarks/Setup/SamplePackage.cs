using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Infera.Benchmarks.Setup;

/// <summary>The sklearn Iris sample built into a temporary folder: the package, the request body and the expected answer.</summary>
internal sealed class SamplePackage : IDisposable
{
    private SamplePackage(string root, byte[] requestBody, JsonNode expectedResponse)
    {
        Root = root;
        RequestBody = requestBody;
        ExpectedResponse = expectedResponse;
    }

    /// <summary>The temporary build folder (deleted on dispose).</summary>
    public string Root { get; }

    /// <summary>The folder that holds <c>model/</c>; what a ModelArts import points at.</summary>
    public string PackageDirectory => Path.Combine(Root, "sklearn_iris");

    /// <summary>The <c>model/</c> folder: config.json, customize_service.py, sklearn.m.</summary>
    public string ModelDirectory => Path.Combine(PackageDirectory, "model");

    /// <summary>The bytes of <c>iris_requests/single.json</c>.</summary>
    public byte[] RequestBody { get; }

    /// <summary>The answer <c>expected.json</c> records for the single request.</summary>
    public JsonNode ExpectedResponse { get; }

    /// <summary>Runs <c>build_samples.py --only sklearn_iris</c> into a new temporary folder.</summary>
    public static async Task<SamplePackage> BuildAsync(RepositoryLayout repo, string python, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("infera-bench-samples-").FullName;
        try
        {
            var info = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { repo.SampleBuilder, "--out", root, "--only", "sklearn_iris" })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {python}.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"build_samples.py failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
            }

            var body = await File.ReadAllBytesAsync(Path.Combine(root, "iris_requests", "single.json"), cancellationToken);
            var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "expected.json"), cancellationToken));
            var single = expected?["samples"]?["sklearn_iris"]?["requests"]?.AsArray()
                .FirstOrDefault(r => (string?)r?["name"] == "single")?["response"]
                ?? throw new InvalidOperationException("expected.json has no samples.sklearn_iris.requests[name=single].response.");
            return new SamplePackage(root, body, single.DeepClone());
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the benchmark result still stands.
        }
    }
}
