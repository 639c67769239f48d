using System.Text;

namespace Infera.Cli.Tests.Fakes;

/// <summary>Runs the CLI in-process against <see cref="FakeInferaBackend"/>, with a private config file and environment.</summary>
public sealed class CliHarness : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public CliHarness()
    {
        Directory.CreateDirectory(Root);
        Env["INFERA_CONFIG"] = ConfigPath;
        Env["HOME"] = Root;
    }

    public FakeInferaBackend Backend { get; } = new();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "infera-cli-tests", Guid.NewGuid().ToString("N"));

    public string ConfigPath => Path.Combine(Root, "cfg", "config.json");

    public Dictionary<string, string?> Env { get; } = new(StringComparer.Ordinal);

    public string Stdin { get; set; } = string.Empty;

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter(new StringBuilder());
        using var stderr = new StringWriter(new StringBuilder());
        var options = new CliAppOptions
        {
            HttpMessageHandler = Backend,
            GetEnvironmentVariable = name => Env.GetValueOrDefault(name),
            Stdin = new StringReader(Stdin),
            TimeProvider = Time,
            PollInterval = TimeSpan.FromMilliseconds(1),
            RunServer = (_, _) => Task.FromResult(0),
        };
        var code = await CliApp.RunAsync(args, stdout, stderr, options, CancellationToken.None).WaitAsync(Timeout);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public async Task LoginAsync()
    {
        Stdin = "secret\n";
        var result = await RunAsync("login", "--endpoint", "http://fake:8090", "--user", "admin", "--password-stdin");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public string CreateFile(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        Backend.Dispose();
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
