namespace Infera.Packaging.Tests;

/// <summary>A package folder under the temp directory, deleted on dispose.</summary>
internal sealed class TempPackage : IDisposable
{
    public TempPackage()
    {
        Root = Path.Combine(Path.GetTempPath(), "infera-pkg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string content = "x")
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string Config(string modelType, string prefix = "model") =>
        Write(Path.Combine(prefix, "config.json"), ConfigAssert.Json(modelType: modelType));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
