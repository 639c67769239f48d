using Infera.Server.Hosting;

namespace Infera.Cli;

/// <summary>
/// What the CLI takes from its surroundings. <see cref="Program"/> fills it from the real process; tests replace
/// the HTTP handler, the environment, stdin and the clock to run commands in-process.
/// </summary>
internal sealed class CliAppOptions
{
    /// <summary>Sends every HTTP call through this handler (a test fake); <see langword="null"/> uses a normal <see cref="HttpClient"/>.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>Reads an environment variable (<c>INFERA_ENDPOINT</c>, <c>INFERA_TOKEN</c>, <c>INFERA_CONFIG</c>, <c>HOME</c>…). Default: the process environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Standard input, for <c>login --password-stdin</c>. Default: <see cref="Console.In"/>.</summary>
    public TextReader? Stdin { get; init; }

    /// <summary>Whether stdout is a terminal: colours, and progress displays for folder copies. Default false.</summary>
    public bool StdoutIsTerminal { get; init; }

    /// <summary>Whether stderr is a terminal: spinners while waiting, password prompts. Default false.</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>The clock used for token expiry and waits. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Pause between two status polls while waiting for a model or service. Default 2 seconds.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs the server for <c>infera server</c>. Default <see cref="InferaServer.RunAsync"/>.</summary>
    public Func<InferaServerOptions, CancellationToken, Task<int>> RunServer { get; init; } = InferaServer.RunAsync;
}
