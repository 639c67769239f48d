namespace Infera.Packaging;

/// <summary>Collects the errors and warnings of one read or inspection so that all are reported together.</summary>
internal sealed class Diagnostics
{
    private readonly List<PackageProblem> _errors = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<PackageProblem> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    public void Error(string path, string message) => _errors.Add(new PackageProblem(path, message));

    public void Warn(string path, string message) => _warnings.Add($"{path}: {message}");

    public void AddRange(IEnumerable<PackageProblem> errors, IEnumerable<string> warnings)
    {
        _errors.AddRange(errors);
        _warnings.AddRange(warnings);
    }
}
