namespace Infera.Core.Models;

/// <summary>Model (AI application) status values as the ModelArts API spells them (spec §5).</summary>
public static class ModelStatus
{
    /// <summary>Import in progress: the package is being copied and validated.</summary>
    public const string Publishing = "publishing";

    /// <summary>Imported and deployable (shown "normal" in the console).</summary>
    public const string Published = "published";

    /// <summary>Import failed; the model events say why.</summary>
    public const string Failed = "failed";

    /// <summary>The runtime environment is being (re)built from the dependencies (MISSION R-M10).</summary>
    public const string Building = "building";

    /// <summary>The dependencies could not be satisfied; edit them to rebuild (seed 003 §2.3 "运行时依赖").</summary>
    public const string BuildingFailed = "building_failed";
}
