namespace Infera.Packaging;

/// <summary>
/// The <c>metrics</c> object of config.json (seed 003 table 4-2). Each value is optional and is truncated (not
/// rounded) to 17 decimal places, as the table prescribes ("超过17位时，取前17位数值").
/// </summary>
/// <param name="F1">The <c>f1</c> score, or null when absent.</param>
/// <param name="Recall">The <c>recall</c>, or null when absent.</param>
/// <param name="Precision">The <c>precision</c>, or null when absent.</param>
/// <param name="Accuracy">The <c>accuracy</c>, or null when absent.</param>
public sealed record ModelMetrics(decimal? F1, decimal? Recall, decimal? Precision, decimal? Accuracy);
