namespace Infera.Gateway.Routing.Rules;

/// <summary>Java string semantics the SpEL conditions rely on.</summary>
public static class JavaString
{
    /// <summary>
    /// Java's <c>String.hashCode()</c>: <c>s[0]*31^(n-1) + … + s[n-1]</c> over UTF-16 code units with 32-bit
    /// wrap-around; the empty string hashes to 0. .NET strings are UTF-16 too, so a character outside the BMP
    /// counts as its two surrogates, exactly as in Java.
    /// </summary>
    public static int HashCode(string value)
    {
        var hash = 0;
        foreach (var unit in value)
        {
            hash = unchecked((31 * hash) + unit);
        }

        return hash;
    }
}
