namespace Infera.Runtime.Python;

/// <summary>Where the model-service runtime lives and which interpreter runs it (R-P3).</summary>
public sealed class PythonRuntimeOptions
{
    /// <summary>Interpreter for instances. Default Debian's <c>/usr/bin/python3</c>, which has torch, sklearn and xgboost.</summary>
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <summary>
    /// Folder holding <c>infera_worker.py</c> and the <c>model_service</c> package. Default: the copy shipped
    /// beside the server's assemblies (<c>python-runtime/</c>).
    /// </summary>
    public string RuntimeDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "python-runtime");
}
