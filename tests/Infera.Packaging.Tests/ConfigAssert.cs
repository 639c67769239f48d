using Xunit;

namespace Infera.Packaging.Tests;

/// <summary>Builds small config.json texts and checks results by path and message fragment.</summary>
internal static class ConfigAssert
{
    /// <summary>A minimal valid config for <paramref name="modelType"/> with <paramref name="extra"/> fields appended.</summary>
    public static string Json(string extra = "", string modelType = "PyTorch") =>
        $$"""{ "model_type": "{{modelType}}", "model_algorithm": "image_classification"{{(extra.Length > 0 ? ", " + extra : "")}} }""";

    public static ConfigReadResult Read(string extra = "", string modelType = "PyTorch") =>
        ModelConfigReader.Read(Json(extra, modelType));

    public static void Valid(ConfigReadResult result)
    {
        Assert.True(result.IsValid, "expected valid, got: " + string.Join(" | ", result.Errors));
        Assert.NotNull(result.Config);
    }

    public static PackageProblem Error(IReadOnlyList<PackageProblem> errors, string path, string fragment)
    {
        var match = errors.FirstOrDefault(e => e.Path == path && e.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected error at {path} containing <{fragment}>, got: {string.Join(" | ", errors)}");
        return match!;
    }

    public static PackageProblem SingleError(ConfigReadResult result, string path, string fragment)
    {
        Assert.True(result.Errors.Count == 1, "expected exactly one error, got: " + string.Join(" | ", result.Errors));
        return Error(result.Errors, path, fragment);
    }

    public static void Warning(IReadOnlyList<string> warnings, string path, string fragment)
    {
        Assert.True(
            warnings.Any(w => w.StartsWith(path + ": ", StringComparison.Ordinal) && w.Contains(fragment, StringComparison.Ordinal)),
            $"expected warning at {path} containing <{fragment}>, got: {string.Join(" | ", warnings)}");
    }
}
