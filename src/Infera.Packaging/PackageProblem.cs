namespace Infera.Packaging;

/// <summary>One rule violation found in a model package or its <c>config.json</c>.</summary>
/// <param name="Path">
/// Where the problem is: a JSON path into config.json such as <c>$.apis[0].method</c> (<c>$</c> for the whole
/// document), or, for package-layout problems, a path relative to the package root with <c>/</c> separators
/// such as <c>model/customize_service.py</c> (<c>.</c> for the root itself).
/// </param>
/// <param name="Message">One English sentence naming the offending value and the rule it breaks.</param>
public sealed record PackageProblem(string Path, string Message)
{
    /// <summary>Formats the problem as <c>Path: Message</c>, the form used in logs and API error details.</summary>
    /// <returns>The path and the message separated by a colon.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
