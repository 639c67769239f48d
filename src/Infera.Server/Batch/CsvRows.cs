using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Infera.Server.Batch;

/// <summary>
/// Splits CSV text with CsvHelper (RFC 4180: comma separated, fields may be double-quoted with <c>""</c> for a quote
/// and may then hold commas and line breaks; CRLF or LF line ends). Blank and whitespace-only lines are skipped; there
/// is no header row (seed 003 §3.2.1: "配置映射规则后，其对应的csv数据必须以英文半角逗号分隔").
/// </summary>
public static class CsvRows
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = false,
        IgnoreBlankLines = true,
        Delimiter = ",",
        BadDataFound = null,
    };

    /// <summary>The rows of <paramref name="text"/>, in file order.</summary>
    /// <param name="text">The whole file.</param>
    /// <returns>Each row's cells (quotes removed).</returns>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        using var parser = new CsvParser(new StringReader(text), Configuration);
        while (parser.Read())
        {
            var record = parser.Record;
            if (record is null || (record.Length == 1 && string.IsNullOrWhiteSpace(record[0])))
            {
                continue;
            }

            rows.Add([.. record]);
        }

        return rows;
    }
}
