using System.Text.RegularExpressions;

namespace Infera.Gateway.Routing.Rules;

/// <summary>Static type of a sub-expression, checked at parse time so that evaluation never meets a type error.</summary>
internal enum RuleType
{
    Boolean,
    String,
    Integer,
}

/// <summary>A condition could not be evaluated for this request (SpEL would throw): the rule does not match.</summary>
internal sealed class RuleEvaluationException(string message) : Exception(message);

/// <summary>A node of a parsed condition. Values are <see cref="bool"/>, <see cref="string"/> (null when a header is absent) or <see cref="int"/>.</summary>
internal abstract class RuleNode(RuleType type)
{
    public RuleType Type { get; } = type;

    public virtual bool EvalBool(in RuleVariables variables) => throw new InvalidOperationException("not a boolean node");

    public virtual string? EvalString(in RuleVariables variables) => throw new InvalidOperationException("not a string node");

    public virtual int EvalInt(in RuleVariables variables) => throw new InvalidOperationException("not an integer node");
}

internal sealed class BoolLiteral(bool value) : RuleNode(RuleType.Boolean)
{
    public override bool EvalBool(in RuleVariables variables) => value;
}

internal sealed class StringLiteral(string value) : RuleNode(RuleType.String)
{
    public string Value { get; } = value;

    public override string? EvalString(in RuleVariables variables) => Value;
}

internal sealed class IntLiteral(int value) : RuleNode(RuleType.Integer)
{
    public int Value { get; } = value;

    public override int EvalInt(in RuleVariables variables) => Value;
}

internal sealed class VariableNode(RuleVariable variable, string name) : RuleNode(RuleType.String)
{
    public override string? EvalString(in RuleVariables variables) => variables.Get(variable);

    public override string ToString() => "#" + name;
}

internal sealed class OrNode(RuleNode left, RuleNode right) : RuleNode(RuleType.Boolean)
{
    public override bool EvalBool(in RuleVariables variables) => left.EvalBool(variables) || right.EvalBool(variables);
}

internal sealed class AndNode(RuleNode left, RuleNode right) : RuleNode(RuleType.Boolean)
{
    public override bool EvalBool(in RuleVariables variables) => left.EvalBool(variables) && right.EvalBool(variables);
}

internal sealed class NotNode(RuleNode operand) : RuleNode(RuleType.Boolean)
{
    public override bool EvalBool(in RuleVariables variables) => !operand.EvalBool(variables);
}

/// <summary><c>s.hashCode()</c> (Java semantics) or <c>s.length()</c>; on an absent header SpEL throws, so the rule fails.</summary>
internal sealed class StringMethodNode(RuleNode target, string method) : RuleNode(RuleType.Integer)
{
    public override int EvalInt(in RuleVariables variables)
    {
        var value = target.EvalString(variables) ?? throw new RuleEvaluationException($"{target}.{method}() on a missing value");
        return method == "hashCode" ? JavaString.HashCode(value) : value.Length;
    }
}

/// <summary>Java <c>int</c> arithmetic: 32-bit wrap-around, division and remainder truncate toward zero.</summary>
internal sealed class ArithmeticNode(RuleNode left, char op, RuleNode right) : RuleNode(RuleType.Integer)
{
    public override int EvalInt(in RuleVariables variables)
    {
        var a = left.EvalInt(variables);
        var b = right.EvalInt(variables);
        return op switch
        {
            '+' => unchecked(a + b),
            '-' => unchecked(a - b),
            '*' => unchecked(a * b),
            '/' => b == 0 ? throw new RuleEvaluationException("division by zero") : a == int.MinValue && b == -1 ? int.MinValue : a / b,
            _ => b == 0 ? throw new RuleEvaluationException("remainder by zero") : b == -1 ? 0 : a % b,
        };
    }
}

internal sealed class NegateNode(RuleNode operand) : RuleNode(RuleType.Integer)
{
    public override int EvalInt(in RuleVariables variables) => unchecked(-operand.EvalInt(variables));
}

/// <summary><c>==</c>, <c>!=</c> on strings (null equals only null, as in SpEL) and all six comparisons on integers.</summary>
internal sealed class CompareNode(RuleNode left, string op, RuleNode right) : RuleNode(RuleType.Boolean)
{
    public override bool EvalBool(in RuleVariables variables)
    {
        if (left.Type == RuleType.String)
        {
            var equal = string.Equals(left.EvalString(variables), right.EvalString(variables), StringComparison.Ordinal);
            return op == "==" ? equal : !equal;
        }

        var a = left.EvalInt(variables);
        var b = right.EvalInt(variables);
        return op switch
        {
            "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            "<=" => a <= b,
            ">" => a > b,
            _ => a >= b,
        };
    }
}

/// <summary>
/// <c>s matches 'regex'</c>: like Java's <c>String.matches</c>, the whole value must match. The regex is compiled
/// once when the rule is saved and runs with a timeout; a timeout or an absent header fails the rule.
/// </summary>
internal sealed class MatchesNode(RuleNode target, Regex regex) : RuleNode(RuleType.Boolean)
{
    public override bool EvalBool(in RuleVariables variables)
    {
        var value = target.EvalString(variables) ?? throw new RuleEvaluationException($"{target} matches on a missing value");
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new RuleEvaluationException($"the regular expression of {target} matches timed out");
        }
    }
}
