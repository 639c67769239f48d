using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infera.Cli.Infrastructure;

/// <summary>Small helpers to build Spectre tables from plain strings (never parsed as markup).</summary>
internal static class Tables
{
    /// <summary>A table with the given column headers.</summary>
    /// <param name="headers">Column headers.</param>
    /// <returns>The table.</returns>
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells; <see langword="null"/> shows as empty.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cells">Cell values.</param>
    public static void Row(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? string.Empty)));

    /// <summary>A two-column field/value table for one resource.</summary>
    /// <param name="fields">Field names and values; <see langword="null"/> and empty values are left out.</param>
    /// <returns>The table.</returns>
    public static Table Fields(params (string Name, string? Value)[] fields)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders();
        table.AddColumn("field");
        table.AddColumn("value");
        foreach (var (name, value) in fields.Where(f => !string.IsNullOrEmpty(f.Value)))
        {
            table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value!));
        }

        return table;
    }

    /// <summary>Formats a millisecond Unix time in local time, or empty.</summary>
    /// <param name="milliseconds">Milliseconds since the epoch.</param>
    /// <returns>e.g. <c>2024-05-01 08:00:00</c>.</returns>
    public static string Time(long? milliseconds) =>
        milliseconds is > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds.Value).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>Formats a byte count, e.g. <c>1.5 MiB</c>.</summary>
    /// <param name="bytes">The size.</param>
    /// <returns>The text.</returns>
    public static string Size(long? bytes)
    {
        if (bytes is null)
        {
            return string.Empty;
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes.Value;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>Formats an integer, or empty.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
