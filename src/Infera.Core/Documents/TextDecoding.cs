using System.Text;

namespace Infera.Core.Documents;

/// <summary>
/// Turns the bytes of a user's text file into text the way editors in the field save it (issue #18): UTF-8 with or
/// without a byte-order mark, UTF-16 with its mark (Windows Notepad's "Unicode"), and GBK (code page 936, what Chinese
/// Windows editors write when not told otherwise). Bytes that are neither give a precise error, never a guess.
/// </summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Lazy<Encoding> Gbk = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    /// <summary>Decodes <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The file.</param>
    /// <param name="documentName">How messages name the file, e.g. <c>config.json</c>.</param>
    /// <returns>The text (without its byte-order mark) and the encoding it was read as, or the reason it cannot be read.</returns>
    public static (string? Text, string Encoding, string? Error) Decode(byte[] bytes, string documentName)
    {
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Try(StrictUtf8, bytes, 3, "UTF-8", documentName);
        }

        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Try(new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), bytes, 2, "UTF-16LE", documentName);
        }

        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Try(new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), bytes, 2, "UTF-16BE", documentName);
        }

        var utf8 = Try(StrictUtf8, bytes, 0, "UTF-8", documentName);
        if (utf8.Text is not null)
        {
            return utf8;
        }

        var gbk = Try(Gbk.Value, bytes, 0, "GBK", documentName);
        return gbk.Text is not null ? gbk : (null, "", utf8.Error + " It is not GBK text either; save it as UTF-8.");
    }

    private static (string? Text, string Encoding, string? Error) Try(Encoding encoding, byte[] bytes, int skip, string name, string documentName)
    {
        try
        {
            return (encoding.GetString(bytes, skip, bytes.Length - skip), name, null);
        }
        catch (DecoderFallbackException e)
        {
            var offset = e.Index >= 0 ? $" at byte {e.Index + skip + 1}" : "";
            return (null, name, $"{documentName} is not valid {name} text{offset}.");
        }
    }
}
