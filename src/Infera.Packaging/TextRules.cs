using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Infera.Packaging;

/// <summary>
/// Character rules of seed 003 tables 4-1 and 4-7: no Chinese characters and none of <c>&amp;!"'&lt;&gt;=</c>.
/// </summary>
internal static class TextRules
{
    public const int MaxAlgorithmLength = 36;

    public const string ForbiddenCharacters = "&!\"'<>=";

    public const string ForbiddenCharactersForHumans = "& ! \" ' < > =";

    private static readonly SearchValues<char> s_forbidden = SearchValues.Create(ForbiddenCharacters);

    public static bool ContainsForbidden(string text) => text.AsSpan().IndexOfAny(s_forbidden) >= 0;

    /// <summary>
    /// True when the text holds a CJK ideograph, radical, CJK punctuation, Bopomofo or a full-width form, which is
    /// what "中文" covers in practice (a full-width comma is as Chinese as an ideograph to the console's check).
    /// </summary>
    public static bool ContainsChinese(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (v is (>= 0x2E80 and <= 0x2FDF) or (>= 0x3000 and <= 0x303F) or (>= 0x3100 and <= 0x312F)
                or (>= 0x31A0 and <= 0x31BF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF)
                or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFFEF)
                or (>= 0x20000 and <= 0x3134F))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>model_algorithm</c> rule: an ASCII letter first, at most 36 characters, no Chinese, no <c>&amp;!"'&lt;&gt;=</c>.</summary>
    public static bool IsValidAlgorithm(string text) =>
        text.Length is > 0 and <= MaxAlgorithmLength
        && char.IsAsciiLetter(text[0])
        && !ContainsChinese(text)
        && !ContainsForbidden(text);

    /// <summary>The package name/version rule: no Chinese, no <c>&amp;!"'&lt;&gt;=</c>.</summary>
    public static bool IsValidPackageText(string text) => !ContainsChinese(text) && !ContainsForbidden(text);

    /// <summary>Quotes a string for a message, shortened to 80 characters.</summary>
    public static string Quote(string text)
    {
        const int Max = 80;
        return text.Length <= Max ? $"\"{text}\"" : $"\"{text[..Max]}…\"";
    }

    /// <summary>Describes a JSON value for a message: strings quoted, numbers and literals as written, containers by kind.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "the string " + Quote(value.GetString() ?? string.Empty),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    /// <summary>Joins values as "a, b or c".</summary>
    public static string OrList(IReadOnlyList<string> values)
    {
        if (values.Count <= 1)
        {
            return values.Count == 0 ? string.Empty : values[0];
        }

        var builder = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(i == values.Count - 1 ? " or " : ", ");
            }

            builder.Append(values[i]);
        }

        return builder.ToString();
    }
}
