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
}
