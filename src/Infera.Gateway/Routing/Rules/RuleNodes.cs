using System.Text.RegularExpressions;

namespace Infera.Gateway.Routing.Rules;

/// <summary>Static type of a sub-expression, checked at parse time so that evaluation never meets a type error.</summary>
internal enum RuleType
{
    Boolean,
    String,
    Integer,
}

/// <summary>
/// A node of a parsed condition. Values are <see cref="bool"/>, <see cref="string"/> (null when a header is absent)
/// or <see cref="int"/>. A null boolean or integer means evaluation failed where SpEL would throw (a method or
/// <c>matches</c> on an absent header, division by zero, a regex timeout); it propagates and the rule does not match.
/// No exception is thrown on the hot path.
/// </summary>
internal abstract class RuleNode(RuleType type)
{
    public RuleType Type { get; } = type;

    public virtual bool? EvalBool(in RuleVariables variables) => throw new InvalidOperationException("not a boolean node");

    public virtual string? EvalString(in RuleVariables variables) => throw new InvalidOperationException("not a string node");

    public virtual int? EvalInt(in RuleVariables variables) => throw new InvalidOperationException("not an integer node");
}

internal sealed class BoolLiteral(bool value) : RuleNode(RuleType.Boolean)
{
    public override bool? EvalBool(in RuleVariables variables) => value;
}

internal sealed class StringLiteral(string value) : RuleNode(RuleType.String)
{
    public string Value { get; } = value;

    public override string? EvalString(in RuleVariables variables) => Value;
}

internal sealed class IntLiteral(int value) : RuleNode(RuleType.Integer)
{
    public int Value { get; } = value;

    public override int? EvalInt(in RuleVariables variables) => Value;
}

internal sealed class VariableNode(RuleVariable variable, string name) : RuleNode(RuleType.String)
{
    public override string? EvalString(in RuleVariables variables) => variables.Get(variable);

    public override string ToString() => "#" + name;
}

internal sealed class OrNode(RuleNode left, RuleNode right) : RuleNode(RuleType.Boolean)
{
    public override bool? EvalBool(in RuleVariables variables) => left.EvalBool(variables) switch
    {
        null => null,
        true => true,
        false => right.EvalBool(variables),
    };
}

internal sealed class AndNode(RuleNode left, RuleNode right) : RuleNode(RuleType.Boolean)
{
    public override bool? EvalBool(in RuleVariables variables) => left.EvalBool(variables) switch
    {
        null => null,
        false => false,
        true => right.EvalBool(variables),
    };
}

internal sealed class NotNode(RuleNode operand) : RuleNode(RuleType.Boolean)
{
    public override bool? EvalBool(in RuleVariables variables) => !operand.EvalBool(variables);
}

/// <summary><c>s.hashCode()</c> (Java semantics) or <c>s.length()</c>; on an absent header SpEL throws, so the rule fails.</summary>
internal sealed class StringMethodNode(RuleNode target, string method) : RuleNode(RuleType.Integer)
{
    public override int? EvalInt(in RuleVariables variables) =>
        target.EvalString(variables) is not { } value ? null : method == "hashCode" ? JavaString.HashCode(value) : value.Length;
}

/// <summary>Java <c>int</c> arithmetic: 32-bit wrap-around, division and remainder truncate toward zero.</summary>
internal sealed class ArithmeticNode(RuleNode left, char op, RuleNode right) : RuleNode(RuleType.Integer)
{
    public override int? EvalInt(in RuleVariables variables)
    {
        if (left.EvalInt(variables) is not { } a || right.EvalInt(variables) is not { } b)
        {
            return null;
        }

        return op switch
        {
            '+' => unchecked(a + b),
            '-' => unchecked(a - b),
            '*' => unchecked(a * b),
            '/' => b == 0 ? null : a == int.MinValue && b == -1 ? int.MinValue : a / b,
            _ => b == 0 ? null : b == -1 ? 0 : a % b,
        };
    }
}

internal sealed class NegateNode(RuleNode operand) : RuleNode(RuleType.Integer)
{
    public override int? EvalInt(in RuleVariables variables) => operand.EvalInt(variables) is { } value ? unchecked(-value) : null;
}

/// <summary><c>==</c>, <c>!=</c> on strings (null equals only null, as in SpEL) and all six comparisons on integers.</summary>
internal sealed class CompareNode(RuleNode left, string op, RuleNode right) : RuleNode(RuleType.Boolean)
{
    public override bool? EvalBool(in RuleVariables variables)
    {
        if (left.Type == RuleType.String)
        {
            var equal = string.Equals(left.EvalString(variables), right.EvalString(variables), StringComparison.Ordinal);
            return op == "==" ? equal : !equal;
        }

        if (left.EvalInt(variables) is not { } a || right.EvalInt(variables) is not { } b)
        {
            return null;
        }

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
    public override bool? EvalBool(in RuleVariables variables)
    {
        if (target.EvalString(variables) is not { } value)
        {
            return null;
        }

        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
