namespace Infera.Packaging;

/// <summary>
/// Checks an unpacked model package against the package rules of seed 003 §4.1.1 and MISSION R-M1, reads its
/// config.json with <see cref="ModelConfigReader"/> and measures it. Never throws on a bad package.
/// </summary>
/// <remarks>
/// The model directory is found this way: <c>root/model</c> when it exists (the documented layout, "模型包里面必须包含
/// model 文件夹"), otherwise <c>root</c> itself (the model folder was given directly). Under it there must be
/// exactly one <c>config.json</c> (searched recursively); the folder holding it is the model directory. For
/// non-custom engines it must hold exactly one <c>customize_service.py</c>, which only the machine-learning engines
/// may omit (spec model-service.md §3), and PyTorch/scikit-learn/XGBoost need their model file (spec §2). ONNX packages
/// need exactly one <c>*.onnx</c> file anywhere under the model directory and no <c>customize_service.py</c>.
/// </remarks>
public static class ModelPackageInspector
{
    /// <summary>The fixed name of the model configuration file (seed 003 §4.1.1).</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The fixed name of the inference code file (seed 003 §4.1.1).</summary>
    public const string ServiceScriptName = "customize_service.py";

    /// <summary>The folder a package must contain (seed 003 §4.1.1).</summary>
    public const string ModelFolderName = "model";

    /// <summary>config.json files larger than this (1 MiB) are refused rather than read.</summary>
    public const long MaxConfigBytes = 1024 * 1024;

    private const string PyTorchFileKind = "PyTorch (*.pth or *.pt)";

    // Each inner array is one rank of candidates, best rank first. PyTorch: any *.pth or *.pt (spec
    // model-service.md §2, "the single *.pth/*.pt"). ML: "*.m, then *.pkl, *.joblib, *.model, *.json".
    private static readonly string[][] s_pyTorchExtensions = [[".pth", ".pt"]];

    private static readonly string[][] s_machineLearningExtensions = [[".m"], [".pkl"], [".joblib"], [".model"], [".json"]];

    /// <summary>Inspects the package under <paramref name="rootDirectory"/>.</summary>
    /// <param name="rootDirectory">
    /// A folder holding <c>model/</c>, or the model folder itself (holding config.json). Relative paths are resolved
    /// against the current directory.
    /// </param>
    /// <returns>
    /// The model directory (absolute), the config, all errors and warnings, and the total size in bytes of the
    /// files under the model directory.
    /// </returns>
    public static PackageInspection Inspect(string rootDirectory)
    {
        var diagnostics = new Diagnostics();
        if (string.IsNullOrWhiteSpace(rootDirectory) || !Directory.Exists(rootDirectory))
        {
            diagnostics.Error(".", $"The package folder \"{rootDirectory}\" does not exist.");
            return new PackageInspection(null, null, diagnostics.Errors, diagnostics.Warnings, 0);
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        string Display(string fullPath) =>
            Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

        var modelFolder = Path.Combine(root, ModelFolderName);
        var searchDirectory = Directory.Exists(modelFolder) ? modelFolder : root;
        var entries = PackageWalker.Walk(searchDirectory, Display, diagnostics);

        var configs = entries.Where(e => e.Name == ConfigFileName).Select(e => e.FullPath).Order(StringComparer.Ordinal).ToList();
        if (configs.Count == 0)
        {
            var message = searchDirectory == root
                ? $"The package has neither a \"{ModelFolderName}\" folder nor a {ConfigFileName}; put {ConfigFileName}, {ServiceScriptName} and the model files in a folder named \"{ModelFolderName}\"."
                : $"{ConfigFileName} is missing from \"{Display(searchDirectory)}\"; a package needs exactly one.";
            diagnostics.Error(Display(searchDirectory), message);
            return new PackageInspection(null, null, diagnostics.Errors, diagnostics.Warnings, 0);
        }

        if (configs.Count > 1)
        {
            diagnostics.Error(
                Display(searchDirectory),
                $"Found {configs.Count} {ConfigFileName} files ({string.Join(", ", configs.Select(Display))}); a package must hold exactly one.");
            return new PackageInspection(null, null, diagnostics.Errors, diagnostics.Warnings, 0);
        }

        var configPath = configs[0];
        var modelDirectory = Path.GetDirectoryName(configPath)!;
        if (searchDirectory == root && modelDirectory != root)
        {
            diagnostics.Warn(
                ".",
                $"The package has no \"{ModelFolderName}\" folder; \"{Display(modelDirectory)}\", which holds the only {ConfigFileName}, is used as the model folder.");
        }

        var config = ReadConfig(configPath, Display, diagnostics);
        var files = entries.Where(e => PackageWalker.IsUnder(e.FullPath, modelDirectory)).ToList();
        var size = files.Sum(e => e.Length);
        var engine = ModelTypes.Canonicalize(config?.ModelType);

        var serviceScript = CheckServiceScript(files, engine, modelDirectory, Display, diagnostics);
        var modelFile = engine switch
        {
            ModelTypes.PyTorch => FindModelFile(files, modelDirectory, s_pyTorchExtensions, PyTorchFileKind, Display, diagnostics),
            ModelTypes.ScikitLearn or ModelTypes.XGBoost => FindModelFile(
                files,
                modelDirectory,
                s_machineLearningExtensions,
                $"{engine} (*.m, *.pkl, *.joblib, *.model or *.json)",
                Display,
                diagnostics),
            ModelTypes.Onnx => FindOnnxFile(files, modelDirectory, Display, diagnostics),
            _ => null, // TF, MindSpore, Spark, MXNet, Caffe load a directory; custom engines bring their own code.
        };

        return new PackageInspection(modelDirectory, config, diagnostics.Errors, diagnostics.Warnings, size)
        {
            ModelFile = modelFile,
            ServiceScript = serviceScript,
        };
    }

    private static ModelConfig? ReadConfig(string configPath, Func<string, string> display, Diagnostics diagnostics)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(configPath).Length;
            if (length > MaxConfigBytes)
            {
                diagnostics.Error(display(configPath), $"{ConfigFileName} is {length} bytes, more than the {MaxConfigBytes} bytes allowed.");
                return null;
            }

            bytes = File.ReadAllBytes(configPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(display(configPath), $"{ConfigFileName} cannot be read ({ex.Message.TrimEnd('.')}).");
            return null;
        }

        var result = ModelConfigReader.Read(bytes);
        diagnostics.AddRange(result.Errors, result.Warnings);
        return result.Config;
    }

    private static string? CheckServiceScript(
        List<PackageEntry> files,
        string? engine,
        string modelDirectory,
        Func<string, string> display,
        Diagnostics diagnostics)
    {
        var scripts = files.Where(e => e.Name == ServiceScriptName).Select(e => e.FullPath).Order(StringComparer.Ordinal).ToList();
        if (scripts.Count > 1)
        {
            diagnostics.Error(
                display(modelDirectory),
                $"Found {scripts.Count} {ServiceScriptName} files ({string.Join(", ", scripts.Select(display))}); a package must hold exactly one.");
            return null;
        }

        if (engine == ModelTypes.Onnx && scripts.Count == 1)
        {
            diagnostics.Warn(display(scripts[0]), $"{ServiceScriptName} is not used by ONNX models: the ONNX Runtime engine serves the model file itself.");
        }

        var required = engine is not null && engine is not (ModelTypes.Image or ModelTypes.Onnx) && !ModelTypes.IsMachineLearning(engine);
        if (scripts.Count == 0 && required)
        {
            diagnostics.Error(
                display(modelDirectory),
                $"{ServiceScriptName} is missing from \"{display(modelDirectory)}\"; {engine} packages need exactly one.");
        }

        return scripts.Count == 1 ? scripts[0] : null;
    }

    // The ONNX engine loads exactly one model: none or several *.onnx files are an error, not a guess.
    private static string? FindOnnxFile(List<PackageEntry> files, string modelDirectory, Func<string, string> display, Diagnostics diagnostics)
    {
        var candidates = files
            .Where(e => e.Name.EndsWith(OnnxEngine.ModelFileExtension, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.FullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
        switch (candidates.Count)
        {
            case 1:
                return candidates[0];
            case 0:
                diagnostics.Error(display(modelDirectory), ModelEvents.ModelFileNotFound(OnnxEngine.ModelFileKind, display(modelDirectory)));
                return null;
            default:
                diagnostics.Error(
                    display(modelDirectory),
                    $"{ModelEvents.MoreThanOneModelFile(OnnxEngine.ModelFileKind, display(modelDirectory))} An ONNX package holds exactly one model file; found {string.Join(", ", candidates.Select(display))}.");
                return null;
        }
    }

    private static string? FindModelFile(
        List<PackageEntry> files,
        string modelDirectory,
        string[][] ranks,
        string fileKind,
        Func<string, string> display,
        Diagnostics diagnostics)
    {
        bool IsTopLevel(PackageEntry e) => Path.GetDirectoryName(e.FullPath) == modelDirectory;

        // The runtime looks in the model directory itself; a file deeper down is a fallback user code may rely on.
        foreach (var topLevelOnly in new[] { true, false })
        {
            foreach (var rank in ranks)
            {
                var candidates = files
                    .Where(e => e.Name != ConfigFileName && IsTopLevel(e) == topLevelOnly
                        && rank.Any(x => e.Name.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
                    .Select(e => e.FullPath)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }

                var chosen = candidates[0];
                if (candidates.Count > 1)
                {
                    diagnostics.Warn(
                        display(modelDirectory),
                        $"{ModelEvents.MoreThanOneModelFile(fileKind, display(modelDirectory))} Using {display(chosen)}.");
                }

                if (!topLevelOnly)
                {
                    diagnostics.Warn(
                        display(chosen),
                        $"The model file is not directly in \"{display(modelDirectory)}\"; {display(chosen)} is used.");
                }

                return chosen;
            }
        }

        diagnostics.Error(display(modelDirectory), ModelEvents.ModelFileNotFound(fileKind, display(modelDirectory)));
        return null;
    }
}
