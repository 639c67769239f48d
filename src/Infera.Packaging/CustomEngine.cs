namespace Infera.Packaging;

/// <summary>
/// The custom engine ("Custom"/"Image" <c>model_type</c>; MISSION R-M3, seed 003 §2.2.3–§2.2.4): a model folder that
/// holds its own HTTP server program, started by a command. config.json carries the extra root fields
/// <c>cmd</c> (start command), <c>protocol</c> (<c>http</c>/<c>https</c>), <c>port</c> (declared container port) and the
/// probes <c>health</c> (liveness), <c>readiness_health</c> and <c>startup_health</c> (seed 003 table 2-8; shapes of
/// table 4-8). The instance contract (environment, port, stop) is documented in <c>runtimes/README.md</c>.
/// </summary>
public static class CustomEngine
{
    /// <summary>The config.json field holding the start command.</summary>
    public const string CommandField = "cmd";

    /// <summary>The config.json field holding the protocol.</summary>
    public const string ProtocolField = "protocol";

    /// <summary>The config.json field holding the declared port.</summary>
    public const string PortField = "port";

    /// <summary>Default declared port (seed 003 table 2-8: "端口号的缺省值是 8080").</summary>
    public const int DefaultPort = 8080;

    /// <summary>
    /// Default protocol. Seed 003 table 2-10 (container image) says HTTP, table 2-8 says HTTPS; a program started from a
    /// folder rarely carries a certificate, so Infera uses <c>http</c>.
    /// </summary>
    public const string DefaultProtocol = "http";

    /// <summary>The health path probed when no readiness probe is declared (MISSION R-M3 "health URL /health").</summary>
    public const string DefaultHealthPath = "/health";

    /// <summary>
    /// The characters seed 003 §2.2.3 says make ModelArts blank a start command (<c>$ &gt; &lt; ` ! \ ?</c> and line
    /// breaks); Infera refuses such a command at import instead of silently dropping it.
    /// </summary>
    public const string ForbiddenCommandCharactersForHumans = "$ > < ` ! \\ ? and line breaks";

    private static readonly System.Buffers.SearchValues<char> s_forbidden = System.Buffers.SearchValues.Create("$><`!\\?\n\r");

    /// <summary>Returns a description of the first forbidden character in <paramref name="command"/>, or null when none.</summary>
    /// <param name="command">The start command as written.</param>
    /// <returns>E.g. <c>"$"</c> or <c>a line break</c>; null when the command is acceptable.</returns>
    public static string? FindForbiddenInCommand(string command)
    {
        var index = command.AsSpan().IndexOfAny(s_forbidden);
        if (index < 0)
        {
            return null;
        }

        return command[index] is '\n' or '\r' ? "a line break" : $"\"{command[index]}\"";
    }
}
