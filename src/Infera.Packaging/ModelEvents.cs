using System.Globalization;

namespace Infera.Packaging;

/// <summary>
/// The English texts of the model (AI application) events of seed 003 §2.6 that concern importing a package.
/// The server records them as model events (MISSION R-M6); the texts are kept verbatim, including the seed's
/// missing space after "failed." in the size messages, so that they match what ModelArts users see.
/// </summary>
public static class ModelEvents
{
    /// <summary>Normal event when an import starts (seed 003 §2.6 "开始导入模型").</summary>
    public const string ImportStarted = "Start model import.";

    /// <summary>Normal event when the whole import has succeeded (seed 003 §2.6 "模型导入成功").</summary>
    public const string ImportSucceeded = "Model imported successfully.";

    /// <summary>Error event when the import failed for any reason (seed 003 §2.6 "模型导入失败").</summary>
    public const string ImportFailed = "Failed to import the model.";

    /// <summary>Normal event after the package size was computed (seed 003 §2.6 "模型大小计算完成").</summary>
    public const string SizeCalculated = "Model size calculated successfully.";

    /// <summary>Normal event after the model files were copied (seed 003 §2.6 "模型文件导入成功").</summary>
    public const string FileImported = "Model file imported successfully.";

    /// <summary>Error event for a custom-engine config that declares dependencies (seed 003 §2.6).</summary>
    public const string CustomDependenciesNotSupported = "Customize model does not support dependencies.";

    /// <summary>Error event for a non-custom config that declares <c>swr_location</c> (seed 003 §2.6).</summary>
    public const string SwrLocationNotAllowed = "Non-custom type models should not contain swr_location.";

    /// <summary>Normal event after the runtime dependencies changed (seed 003 §2.6, MISSION R-M10).</summary>
    public const string DependenciesUpdated = "Model running dependencies updated. Rebuild the image.";

    /// <summary>Normal event when an edit left the runtime dependencies unchanged (seed 003 §2.6).</summary>
    public const string DependenciesNotUpdated = "Model running dependencies not updated.";

    /// <summary>Normal event after the description changed (seed 003 §2.6).</summary>
    public const string DescriptionUpdated = "Model description updated.";

    /// <summary>
    /// "Invalid %s in config.json." (seed 003 §2.6 "模型配置文件包含非法参数值"), e.g.
    /// <c>InvalidField("model_type")</c> → <c>Invalid model_type in config.json.</c>
    /// </summary>
    /// <param name="field">The config.json field name, e.g. <c>model_type</c> or <c>apis</c>.</param>
    /// <returns>The event text.</returns>
    public static string InvalidField(string field) =>
        string.Format(CultureInfo.InvariantCulture, "Invalid {0} in config.json.", field);

    /// <summary>
    /// "Model size calculated failed.Can not find %s file in current model directory %s." (seed 003 §2.6), used
    /// when the engine's model file (e.g. <c>*.pth</c> for PyTorch, <c>*.m</c> for XGBoost) is missing.
    /// </summary>
    /// <param name="fileKind">What was looked for, e.g. <c>PyTorch (*.pth or *.pt)</c>.</param>
    /// <param name="directory">The model directory searched, as shown to the user.</param>
    /// <returns>The event text.</returns>
    public static string ModelFileNotFound(string fileKind, string directory) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "Model size calculated failed.Can not find {0} file in current model directory {1}.",
            fileKind,
            directory);

    /// <summary>
    /// "Model size calculated failed.Find more than one %s file in current model directory %s." (seed 003
    /// §2.6, a hint-level event), used when several candidate model files exist.
    /// </summary>
    /// <param name="fileKind">What was looked for, e.g. <c>PyTorch (*.pth or *.pt)</c>.</param>
    /// <param name="directory">The model directory searched, as shown to the user.</param>
    /// <returns>The event text.</returns>
    public static string MoreThanOneModelFile(string fileKind, string directory) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "Model size calculated failed.Find more than one {0} file in current model directory {1}.",
            fileKind,
            directory);

    /// <summary>
    /// "Model size calculated failed.Can not find %s child directory in current model directory %s." (seed 003
    /// §2.6), used when the expected <c>model</c> folder is missing.
    /// </summary>
    /// <param name="child">The child directory looked for, e.g. <c>model</c>.</param>
    /// <param name="directory">The directory searched, as shown to the user.</param>
    /// <returns>The event text.</returns>
    public static string ChildDirectoryNotFound(string child, string directory) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "Model size calculated failed.Can not find {0} child directory in current model directory {1}.",
            child,
            directory);

    /// <summary>
    /// "Model file %s is larger than 5G and cannot be imported." (seed 003 §2.6).
    /// </summary>
    /// <param name="file">The file name as shown to the user.</param>
    /// <returns>The event text.</returns>
    public static string ModelFileTooLarge(string file) =>
        string.Format(CultureInfo.InvariantCulture, "Model file {0} is larger than 5G and cannot be imported.", file);
}
