using System.Text;

namespace Infera.Server.Batch;

/// <summary>
/// Splits CSV text (RFC 4180: comma separated, fields may be double-quoted with <c>""</c> for a quote and may then
/// hold commas and line breaks; CRLF or LF line ends). Blank lines are skipped; there is no header row (seed 003
/// §3.2.1: "配置映射规则后，其对应的csv数据必须以英文半角逗号分隔").
/// </summary>
public static class CsvRows
{
    /// <summary>The rows of <paramref name="text"/>, in file order.</summary>
    /// <param name="text">The whole file.</param>
    /// <returns>Each row's cells (quotes removed).</returns>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var rowHasContent = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    cell.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    quoted = true;
                    rowHasContent = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    rowHasContent = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    break;
                default:
                    cell.Append(ch);
                    if (!char.IsWhiteSpace(ch))
                    {
                        rowHasContent = true;
                    }

                    break;
            }
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (rowHasContent)
            {
                row.Add(cell.ToString());
                rows.Add(row);
            }

            row = [];
            cell.Clear();
            rowHasContent = false;
        }
    }
}
