namespace Infera.Gateway.Routing.Rules;

/// <summary>
/// A personalized-configuration condition that cannot be parsed (seed 003 §3.1.2 "修改服务个性化配置").
/// <see cref="Exception.Message"/> names the problem and the 1-based character position; the API turns it into
/// a 400 ModelArts.3037 naming the rule.
/// </summary>
public sealed class RuleSyntaxException : Exception
{
    /// <summary>Creates the error for the problem <paramref name="reason"/> at 0-based <paramref name="offset"/> of <paramref name="condition"/>.</summary>
    public RuleSyntaxException(string condition, int offset, string reason)
        : base($"{reason} (at position {offset + 1}: {Excerpt(condition, offset)})")
    {
        Condition = condition;
        Position = offset + 1;
        Reason = reason;
    }

    /// <summary>The condition text.</summary>
    public string Condition { get; } = "";

    /// <summary>1-based character position of the problem (one past the end when the text ended too early).</summary>
    public int Position { get; }

    /// <summary>The problem without the position.</summary>
    public string Reason { get; } = "";

    /// <summary>Not used; conditions always carry a position.</summary>
    public RuleSyntaxException()
    {
    }

    /// <summary>Not used; conditions always carry a position.</summary>
    public RuleSyntaxException(string message)
        : base(message)
    {
    }

    /// <summary>Not used; conditions always carry a position.</summary>
    public RuleSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    // "#DOMAIN_NAME = 'x'" with a caret under the offending character, on one line: «…NAME >>= 'x'».
    private static string Excerpt(string text, int offset)
    {
        var at = Math.Clamp(offset, 0, text.Length);
        return $"\"{text[..at]}>>{text[at..]}\"";
    }
}
