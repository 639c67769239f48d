namespace Infera.Cli.Infrastructure;

/// <summary>How a command prints its result on stdout.</summary>
internal enum OutputFormat
{
    /// <summary>Tables and plain text for people.</summary>
    Table,

    /// <summary>Exactly one JSON document, for scripts.</summary>
    Json,
}
