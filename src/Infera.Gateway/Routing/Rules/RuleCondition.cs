namespace Infera.Gateway.Routing.Rules;

/// <summary>
/// A parsed personalized-configuration condition (seed 003 §3.1.2 "修改服务个性化配置", table 3-6): the SpEL
/// subset of the seed — string <c>==</c>/<c>!=</c>, <c>matches 'regex'</c>, <c>.hashCode()</c> with integer
/// arithmetic (<c>% * / + -</c>) and comparisons (<c>== != &lt; &lt;= &gt; &gt;=</c>), <c>&amp;&amp;</c>,
/// <c>||</c>, <c>!</c> (and SpEL's word forms <c>and or not eq ne lt le gt ge</c>), parentheses, <c>true</c>,
/// <c>false</c> — over <c>#DOMAIN_NAME</c>, <c>#DOMAIN_ID</c>, <c>#PROJECT_NAME</c>, <c>#PROJECT_ID</c>,
/// <c>#USER_NAME</c>, <c>#USER_ID</c> and <c>#HEADER_{name}</c>. Immutable and thread-safe.
/// </summary>
public sealed class RuleCondition
{
    /// <summary>Longest condition accepted, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>How long one <c>matches</c> may run before the rule counts as not matching.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly RuleNode _root;

    private RuleCondition(string text, RuleNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The condition as written.</summary>
    public string Text { get; }

    /// <summary>Parses and type-checks <paramref name="text"/>; regular expressions are compiled here.</summary>
    /// <exception cref="RuleSyntaxException">The text is not a valid condition; the message points at the position.</exception>
    public static RuleCondition Parse(string text) => new(text, new RuleParser(text).ParseCondition());

    /// <summary>
    /// Whether the condition holds for this caller and request. A condition SpEL could not evaluate (a method or
    /// <c>matches</c> on an absent header, division by zero, a regex timeout) does not match.
    /// </summary>
    public bool Matches(in RuleVariables variables) => _root.EvalBool(variables) == true;

    /// <summary>As <see cref="Matches"/>, and says whether evaluation failed (the rule then does not match).</summary>
    public bool TryMatch(in RuleVariables variables, out bool failed)
    {
        var result = _root.EvalBool(variables);
        failed = result is null;
        return result == true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
