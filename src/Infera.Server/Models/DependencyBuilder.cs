using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Packaging;
using Infera.Runtime.Python;
using Infera.Server.Hosting;

namespace Infera.Server.Models;

/// <summary>
/// Builds a model version's runtime environment from its config.json <c>dependencies</c> (MISSION R-M10) by running
/// <c>runtimes/python/infera_deps.py</c> with the runtime Python: each pip package, in order, is satisfied by the
/// runtime's installed distributions and the restraint, or by a wheel shipped in the package, installed offline into
/// <c>&lt;data&gt;/envs/&lt;model_id&gt;</c> (a venv with the system site packages); anything else fails the build.
/// </summary>
public sealed class DependencyBuilder(PythonRuntimeOptions options, InferaPaths paths)
{
    /// <summary>How long a build may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The outcome of a build.</summary>
    /// <param name="Ok">True when every package is satisfied.</param>
    /// <param name="Summary">One line per package: how it was satisfied, or why not.</param>
    /// <param name="Errors">Why the build failed; empty when ok.</param>
    /// <param name="LogPath">The full log of the attempt.</param>
    /// <param name="LogTail">Its last lines, for events.</param>
    public sealed record Result(bool Ok, IReadOnlyList<string> Summary, IReadOnlyList<string> Errors, string LogPath, string LogTail);

    /// <summary>Whether <paramref name="config"/> declares any package.</summary>
    /// <param name="config">The model's config.</param>
    /// <returns>True when there is something to build.</returns>
    public static bool HasPackages(ModelConfig config) => config.Dependencies.Any(g => g.Packages.Count > 0);

    /// <summary>Removes a version's environment and build log (model deleted).</summary>
    /// <param name="modelId">The model version.</param>
    public void Delete(string modelId)
    {
        ModelImporter.DeleteTree(Path.Combine(paths.Environments, modelId));
        File.Delete(Path.Combine(paths.Environments, modelId + ".build.log"));
    }

    /// <summary>Builds (replacing any previous one) the environment of <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The model version.</param>
    /// <param name="modelDirectory">The model folder (wheels are searched in it).</param>
    /// <param name="dependencies">The dependency groups, in install order.</param>
    /// <param name="cancellationToken">Stops the build (the helper is killed).</param>
    /// <returns>The result; never throws for a failed build.</returns>
    public async Task<Result> BuildAsync(string modelId, string modelDirectory, IReadOnlyList<DependencyGroup> dependencies, CancellationToken cancellationToken)
    {
        var env = Path.Combine(paths.Environments, modelId);
        var log = Path.Combine(paths.Environments, modelId + ".build.log");
        ModelImporter.DeleteTree(env);
        var request = Path.Combine(paths.Environments, modelId + ".request.json");
        var packages = new JsonArray(dependencies.SelectMany(g => g.Packages).Select(p => (JsonNode?)new JsonObject
        {
            ["package_name"] = p.PackageName,
            ["package_version"] = p.PackageVersion,
            ["restraint"] = p.Restraint,
        }).ToArray());
        await File.WriteAllTextAsync(request, new JsonObject { ["model_dir"] = modelDirectory, ["env_dir"] = env, ["packages"] = packages }.ToJsonString(), cancellationToken);

        var info = new ProcessStartInfo(options.PythonPath) { WorkingDirectory = modelDirectory };
        info.ArgumentList.Add(Path.Combine(options.RuntimeDirectory, "infera_deps.py"));
        info.ArgumentList.Add(request);
        info.Environment["PIP_NO_INDEX"] = "1";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        string stdout, stderr;
        int exitCode;
        try
        {
            var outcome = await HelperProcess.RunAsync(info, Timeout, cancellationToken);
            if (outcome.TimedOut)
            {
                await File.WriteAllTextAsync(log, $"The build did not finish within {Timeout.TotalMinutes:0} minutes.", CancellationToken.None);
                return new Result(false, [], [$"the build did not finish within {Timeout.TotalMinutes:0} minutes"], log, "");
            }

            (stdout, stderr, exitCode) = (outcome.Stdout, outcome.Stderr, outcome.ExitCode);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new Result(false, [], [$"could not run {options.PythonPath}: {e.Message}"], log, "");
        }
        finally
        {
            File.Delete(request);
        }

        await File.WriteAllTextAsync(log, stderr, CancellationToken.None);
        var tail = string.Join(" | ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(12));
        JsonNode? answer = null;
        try
        {
            answer = JsonNode.Parse(stdout.Trim().Split('\n').LastOrDefault() ?? "");
        }
        catch (JsonException)
        {
        }

        if (answer is null)
        {
            return new Result(false, [], [$"the dependency helper failed with exit code {exitCode}"], log, tail);
        }

        var summary = answer["packages"]!.AsArray().Select(p => $"{p!["name"]}: {p["status"]} ({p["detail"]})").ToList();
        var problems = answer["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        var ok = answer["ok"]!.GetValue<bool>() && exitCode == 0;
        if (!ok)
        {
            ModelImporter.DeleteTree(env);
        }

        return new Result(ok, summary, problems, log, tail);
    }
}
