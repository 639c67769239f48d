using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Infera.Gateway.Routing.Rules;

/// <summary>
/// Recursive-descent parser of <see cref="RuleCondition"/>. Precedence, lowest first: <c>||</c>, <c>&amp;&amp;</c>,
/// <c>!</c>, comparison / <c>matches</c>, <c>+ -</c>, <c>* / %</c>, unary <c>-</c>, <c>.method()</c>.
/// Every error names the 0-based offset of the token at fault.
/// </summary>
internal sealed class RuleParser
{
    private const int MaxDepth = 32;

    private static readonly Dictionary<string, string> WordOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["and"] = "&&", ["or"] = "||", ["not"] = "!", ["eq"] = "==", ["ne"] = "!=", ["lt"] = "<", ["le"] = "<=", ["gt"] = ">", ["ge"] = ">=",
        ["matches"] = "matches",
    };

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    public RuleParser(string text)
    {
        _text = text;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RuleSyntaxException(text ?? "", 0, "The condition is empty");
        }

        if (text.Length > RuleCondition.MaxLength)
        {
            throw new RuleSyntaxException(text, RuleCondition.MaxLength, $"The condition is longer than {RuleCondition.MaxLength} characters");
        }

        _tokens = Tokenize(text);
    }

    public RuleNode ParseCondition()
    {
        var node = ParseOr();
        if (Peek.Kind != TokenKind.End)
        {
            throw Error(Peek, $"Unexpected {Describe(Peek)}; expected an operator such as &&, || or the end of the condition");
        }

        return node.Type == RuleType.Boolean ? node : throw Error(_tokens[0], "The condition must be true or false (a comparison, matches, && or ||), not a single value");
    }

    private Token Peek => _tokens[_index];

    private Token Take() => _tokens[_index++];

    private bool TakeOperator(string op)
    {
        if (Peek.Kind == TokenKind.Operator && Peek.Text == op)
        {
            _index++;
            return true;
        }

        return false;
    }

    private RuleNode ParseOr()
    {
        var left = ParseAnd();
        while (Peek is { Kind: TokenKind.Operator, Text: "||" })
        {
            var op = Take();
            left = new OrNode(RequireBool(left, op, "||"), RequireBool(ParseAnd(), op, "||"));
        }

        return left;
    }

    private RuleNode ParseAnd()
    {
        var left = ParseNot();
        while (Peek is { Kind: TokenKind.Operator, Text: "&&" })
        {
            var op = Take();
            left = new AndNode(RequireBool(left, op, "&&"), RequireBool(ParseNot(), op, "&&"));
        }

        return left;
    }

    private RuleNode ParseNot()
    {
        if (Peek is { Kind: TokenKind.Operator, Text: "!" })
        {
            var op = Take();
            Enter(op);
            var operand = ParseNot();
            _depth--;
            return new NotNode(RequireBool(operand, op, "!"));
        }

        return ParseRelation();
    }

    private RuleNode ParseRelation()
    {
        var left = ParseAdditive();
        if (Peek.Kind != TokenKind.Operator)
        {
            return left;
        }

        var op = Peek;
        switch (op.Text)
        {
            case "matches":
                Take();
                if (left.Type != RuleType.String)
                {
                    throw Error(op, "matches needs a string on its left, such as #DOMAIN_NAME or #HEADER_name");
                }

                var pattern = Take();
                if (pattern.Kind != TokenKind.String)
                {
                    throw Error(pattern, $"matches needs a quoted regular expression, found {Describe(pattern)}");
                }

                return new MatchesNode(left, CompileRegex(pattern));
            case "==" or "!=" or "<" or "<=" or ">" or ">=":
                Take();
                var right = ParseAdditive();
                if (left.Type == RuleType.Boolean || right.Type == RuleType.Boolean)
                {
                    throw Error(op, $"{op.Text} compares strings or numbers; combine conditions with && or ||");
                }

                if (left.Type != right.Type)
                {
                    throw Error(op, $"{op.Text} cannot compare a {Name(left.Type)} with a {Name(right.Type)}");
                }

                if (left.Type == RuleType.String && op.Text is not ("==" or "!="))
                {
                    throw Error(op, $"Strings can only be compared with == or != (use .hashCode() to compare numbers), not {op.Text}");
                }

                if (Peek is { Kind: TokenKind.Operator, Text: "==" or "!=" or "<" or "<=" or ">" or ">=" or "matches" })
                {
                    throw Error(Peek, $"Comparisons cannot be chained; use && between {op.Text} and {Peek.Text}");
                }

                return new CompareNode(left, op.Text, right);
            default:
                return left;
        }
    }

    private RuleNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek is { Kind: TokenKind.Operator, Text: "+" or "-" })
        {
            var op = Take();
            left = new ArithmeticNode(RequireInt(left, op), op.Text[0], RequireInt(ParseMultiplicative(), op));
        }

        return left;
    }

    private RuleNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek is { Kind: TokenKind.Operator, Text: "*" or "/" or "%" })
        {
            var op = Take();
            var right = ParseUnary();
            if (op.Text != "*" && right is IntLiteral { Value: 0 })
            {
                throw Error(op, $"{op.Text} by zero");
            }

            left = new ArithmeticNode(RequireInt(left, op), op.Text[0], RequireInt(right, op));
        }

        return left;
    }

    private RuleNode ParseUnary()
    {
        if (Peek is { Kind: TokenKind.Operator, Text: "-" })
        {
            var op = Take();
            if (Peek.Kind == TokenKind.Integer)
            {
                return new IntLiteral(ParseInt(Take(), negative: true));
            }

            return new NegateNode(RequireInt(ParsePostfix(), op));
        }

        return ParsePostfix();
    }

    private RuleNode ParsePostfix()
    {
        var node = ParsePrimary();
        while (Peek is { Kind: TokenKind.Operator, Text: "." })
        {
            var dot = Take();
            var method = Take();
            if (method.Kind != TokenKind.Word || method.Text is not ("hashCode" or "length"))
            {
                throw Error(method, $"Only .hashCode() and .length() can be called, found {Describe(method)}");
            }

            if (node.Type != RuleType.String)
            {
                throw Error(dot, $".{method.Text}() applies to a string, not a {Name(node.Type)}");
            }

            Expect("(", $"( after {method.Text}");
            Expect(")", $") after {method.Text}(");
            node = new StringMethodNode(node, method.Text);
        }

        return node;
    }

    private RuleNode ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Variable:
                return Variable(token);
            case TokenKind.String:
                return new StringLiteral(token.Text);
            case TokenKind.Integer:
                return new IntLiteral(ParseInt(token, negative: false));
            case TokenKind.Word when token.Text is "true" or "false":
                return new BoolLiteral(token.Text == "true");
            case TokenKind.Operator when token.Text == "(":
                Enter(token);
                var inner = ParseOr();
                _depth--;
                Expect(")", "a closing )");
                return inner;
            case TokenKind.End:
                throw Error(token, "The condition ends too early; expected a variable such as #DOMAIN_NAME, a quoted string, a number or (");
            case TokenKind.Word:
                throw Error(token, $"Unknown word '{token.Text}'; variables start with # (e.g. #{token.Text}) and strings are quoted ('{token.Text}')");
            default:
                throw Error(token, $"Unexpected {Describe(token)}; expected a variable such as #DOMAIN_NAME, a quoted string, a number or (");
        }
    }

    private VariableNode Variable(Token token)
    {
        if (RuleVariable.BuiltIns.TryGetValue(token.Text, out var kind))
        {
            return new VariableNode(new RuleVariable(kind, ""), token.Text);
        }

        if (token.Text.StartsWith(RuleVariable.HeaderPrefix, StringComparison.Ordinal) && token.Text.Length > RuleVariable.HeaderPrefix.Length)
        {
            return new VariableNode(new RuleVariable(RuleVariableKind.Header, token.Text[RuleVariable.HeaderPrefix.Length..]), token.Text);
        }

        throw Error(token, $"Unknown variable #{token.Text}; use #DOMAIN_NAME, #DOMAIN_ID, #PROJECT_NAME, #PROJECT_ID, #USER_NAME, #USER_ID or #HEADER_{{name}}");
    }

    private Regex CompileRegex(Token pattern)
    {
        try
        {
            // Java's String.matches needs the whole value to match; \z so that a trailing newline is not forgiven.
            return new Regex($"^(?:{pattern.Text})\\z", RegexOptions.CultureInvariant, RuleCondition.RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw Error(pattern, $"Invalid regular expression '{pattern.Text}' ({e.Message})");
        }
    }

    private int ParseInt(Token token, bool negative)
    {
        var digits = negative ? "-" + token.Text : token.Text;
        return int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(token, $"The number {digits} does not fit a 32-bit integer");
    }

    private void Expect(string op, string what)
    {
        if (!TakeOperator(op))
        {
            throw Error(Peek, $"Expected {what}, found {Describe(Peek)}");
        }
    }

    private void Enter(Token token)
    {
        if (++_depth > MaxDepth)
        {
            throw Error(token, $"The condition nests deeper than {MaxDepth} levels");
        }
    }

    private RuleNode RequireBool(RuleNode node, Token op, string what) =>
        node.Type == RuleType.Boolean ? node : throw Error(op, $"{what} combines conditions, but one side is a {Name(node.Type)}; compare it first (e.g. == 'value')");

    private RuleNode RequireInt(RuleNode node, Token op) =>
        node.Type == RuleType.Integer ? node : throw Error(op, $"{op.Text} needs numbers on both sides, found a {Name(node.Type)} (use .hashCode() to turn a string into a number)");

    private RuleSyntaxException Error(Token token, string reason) => new(_text, token.Offset, reason);

    private static string Name(RuleType type) => type switch
    {
        RuleType.Boolean => "condition",
        RuleType.String => "string",
        _ => "number",
    };

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the condition",
        TokenKind.Variable => $"#{token.Text}",
        TokenKind.String => $"'{token.Text}'",
        _ => $"'{token.Text}'",
    };

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '#')
            {
                i++;
                var nameStart = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' ||
                       (text[i] == '-' && text.AsSpan(nameStart, i - nameStart).StartsWith(RuleVariable.HeaderPrefix, StringComparison.Ordinal))))
                {
                    i++;
                }

                if (i == nameStart)
                {
                    throw new RuleSyntaxException(text, start, "# must be followed by a variable name such as DOMAIN_NAME or HEADER_{name}");
                }

                tokens.Add(new Token(TokenKind.Variable, text[nameStart..i], start));
            }
            else if (c is '\'' or '"')
            {
                i++;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new RuleSyntaxException(text, start, $"The string starting here is not closed with {c}");
                    }

                    if (text[i] == c)
                    {
                        // SpEL escapes a quote inside a string by doubling it: 'it''s'.
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(TokenKind.String, value.ToString(), start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
                {
                    throw new RuleSyntaxException(text, i, "A number cannot be followed directly by a letter; quote strings ('1.0.0')");
                }

                tokens.Add(new Token(TokenKind.Integer, text[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(WordOperators.TryGetValue(word, out var op)
                    ? new Token(TokenKind.Operator, op, start)
                    : new Token(TokenKind.Word, word, start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(new Token(TokenKind.Operator, two, start));
                    i += 2;
                }
                else if (c is '<' or '>' or '!' or '(' or ')' or '.' or '+' or '-' or '*' or '/' or '%')
                {
                    tokens.Add(new Token(TokenKind.Operator, c.ToString(), start));
                    i++;
                }
                else
                {
                    var hint = c switch
                    {
                        '=' => "; use == to compare",
                        '&' => "; use && for and",
                        '|' => "; use || for or",
                        '{' or '}' => "; write #DOMAIN_NAME, not #{DOMAIN_NAME}",
                        _ => "",
                    };
                    throw new RuleSyntaxException(text, start, $"Unexpected character '{c}'{hint}");
                }
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private enum TokenKind
    {
        Variable,
        String,
        Integer,
        Word,
        Operator,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Offset);
}
