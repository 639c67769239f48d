using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Infera.Functional.Tests.Infrastructure;

/// <summary>Builds the three sample packages once per test run (real data, real training) into a temp folder.</summary>
public sealed class SamplesFixture : IDisposable
{
    public SamplesFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "infera-samples-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "samples", "build_samples.py"));
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(Directory);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("samples/build_samples.py failed: " + stderr.Result);
        }

        Expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json")))!;
    }

    /// <summary>Output folder: sklearn_iris/, xgboost_iris/, pytorch_digits/, digits_test/, expected.json.</summary>
    public string Directory { get; }

    /// <summary>expected.json: per sample the held-out inputs and the answers the trained model gives directly.</summary>
    public JsonNode Expected { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
