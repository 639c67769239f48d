namespace Infera.Functional.Tests.Infrastructure;

/// <summary>Small real packages written by tests: a probe service that reports which instance answered.</summary>
internal static class Packages
{
    public const string ProbeConfig = """
        {
          // comments are allowed, as in real packages
          "model_type": "PyTorch",
          "model_algorithm": "probe",
          "runtime": "python3.7",
          "apis": [{"url": "/", "method": "post",
                    "request": {"Content-type": "application/json", "data": {"type": "object"}},
                    "response": {"Content-type": "application/json", "data": {"type": "object"}}}]
        }
        """;

    public const string ProbeService = """
        import os
        import time
        from model_service.pytorch_model_service import PTServingBaseService


        class Probe(PTServingBaseService):
            def inference(self, data):
                action = data.get("action")
                print("probe got", action)
                if action == "raise":
                    raise RuntimeError("boom from user code")
                if action == "sleep":
                    time.sleep(float(data.get("seconds", 1)))
                return {"instance": os.environ.get("INFERA_INSTANCE_ID"), "pid": os.getpid(),
                        "echo": data.get("echo"), "env": os.environ.get("PROBE_ENV"),
                        "run_config": getattr(self, "request_headers", {}).get("x-run-config"),
                        "header_names": sorted(getattr(self, "request_headers", {}))}
        """;

    /// <summary>Writes <c>&lt;root&gt;/model/{files}</c> and returns root.</summary>
    public static string Write(string root, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(root, "model", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return root;
    }

    public static Dictionary<string, string> Probe() => new()
    {
        ["config.json"] = ProbeConfig,
        ["customize_service.py"] = ProbeService,
        ["probe.pt"] = "not a real weights file: the probe never loads it",
    };

    public static string TempFolder() => Path.Combine(Path.GetTempPath(), "infera-pkg-" + Guid.NewGuid().ToString("N")[..8]);
}
