using System.Diagnostics;
using System.Text.Json;
using Infera.Packaging;
using Infera.Runtime.Onnx;

namespace Infera.Server.Models;

/// <summary>
/// Reads an ONNX model's input and output tensors at import by running the worker with <c>--inspect</c>, so that ONNX
/// Runtime is never loaded into the server: a corrupt or unservable file fails the worker, not the server.
/// </summary>
public sealed class OnnxInspector(OnnxRuntimeOptions options)
{
    /// <summary>How long one inspection may take (loading a large model included).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The outcome of an inspection.</summary>
    /// <param name="Inputs">The model's inputs in model order (empty on failure).</param>
    /// <param name="Outputs">The model's outputs in model order (empty on failure).</param>
    /// <param name="Error">Why the file cannot be served, as one sentence for the model events; null on success.</param>
    public sealed record Result(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs, string? Error);

    /// <summary>Inspects <paramref name="modelFile"/>.</summary>
    /// <param name="modelFile">The <c>.onnx</c> file.</param>
    /// <param name="display">The file's name as the user sees it (e.g. <c>model/net.onnx</c>).</param>
    /// <param name="cancellationToken">Stops the inspection (the worker is killed).</param>
    /// <returns>The tensors, or the reason; never throws for a bad file.</returns>
    public async Task<Result> InspectAsync(string modelFile, string display, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(options.DotnetPath) { WorkingDirectory = Path.GetDirectoryName(modelFile)! };
        info.ArgumentList.Add(options.WorkerPath);
        info.ArgumentList.Add("--inspect");
        info.ArgumentList.Add(modelFile);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        HelperProcess.Outcome outcome;
        try
        {
            outcome = await HelperProcess.RunAsync(info, Timeout, cancellationToken);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Failed($"The ONNX worker could not be started to read {display} ({options.DotnetPath} {options.WorkerPath}): {e.Message}.");
        }

        if (outcome.TimedOut)
        {
            return Failed($"The ONNX model {display} could not be read within {Timeout.TotalSeconds:0} seconds.");
        }

        var (stdout, stderr, exitCode) = (outcome.Stdout, outcome.Stderr, outcome.ExitCode);
        if (exitCode != 0)
        {
            var reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {exitCode}";
            const string Prefix = "infera-onnx-worker: ";
            reason = reason.StartsWith(Prefix, StringComparison.Ordinal) ? reason[Prefix.Length..] : reason;
            return Failed($"The ONNX model {display} cannot be loaded: {reason.TrimEnd('.')}.");
        }

        try
        {
            using var document = JsonDocument.Parse(stdout);
            return new Result(Tensors(document.RootElement.GetProperty("inputs")), Tensors(document.RootElement.GetProperty("outputs")), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Failed($"The ONNX worker described {display} in an unexpected way: {e.Message}");
        }
    }

    private static Result Failed(string error) => new([], [], error);

    private static List<TensorSpec> Tensors(JsonElement array) =>
    [
        .. array.EnumerateArray().Select(t => new TensorSpec(
            t.GetProperty("name").GetString()!,
            t.GetProperty("datatype").GetString()!,
            [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())])),
    ];
}
