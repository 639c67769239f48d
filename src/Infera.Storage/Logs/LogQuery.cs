using System.Text;
using System.Text.RegularExpressions;

namespace Infera.Storage.Logs;

/// <summary>
/// The log search syntax of MISSION R-S12 and seed 003 §3.1.2 (service details, "日志" search rules), compiled into a
/// predicate over one log line.
/// <para>
/// <b>Words.</b> A line is split into words at whitespace and at the delimiters
/// <c>, ; = ( ) [ ] { } @ &amp; &lt; &gt; / : ' " \ . !</c> (the seed's list <c>;=()[]{}@&amp;&lt;&gt;/:</c> plus
/// whitespace, quotes, comma, backslash, full stop and exclamation mark, so that <c>loaded.</c> is the word
/// <c>loaded</c>). Matching ignores case.
/// </para>
/// <para>
/// <b>Terms.</b> A word without wildcards matches a whole word exactly (<c>error</c> matches <c>Error:</c> but not
/// <c>errors</c>). A word with <c>*</c> (any run of characters, also none) or <c>?</c> (exactly one character) is a
/// fuzzy term and matches a word that contains a match of the pattern: <c>er?or</c>, <c>rro*</c> and <c>er*r</c> all
/// match <c>error</c>, as in the seed's example. Several words in a row form a phrase, matched by consecutive words of
/// the line: <c>Start to refresh</c> or <c>"Start to refresh"</c> (quotes are optional; inside them <c>AND</c>,
/// <c>OR</c>, <c>&amp;&amp;</c>, <c>||</c> are plain text). A query word holding delimiters is split like a line,
/// so <c>key=value</c> is the phrase <c>key value</c>.
/// </para>
/// <para>
/// <b>Operators.</b> <c>&amp;&amp;</c> or <c>AND</c> (upper case) needs both sides; <c>||</c> or <c>OR</c> either
/// side; AND binds tighter than OR; parentheses group. Example: <c>query logs &amp;&amp; erro*</c>,
/// <c>(timeout OR refused) AND instance</c>. An empty query matches every line.
/// </para>
/// </summary>
public sealed class LogQuery
{
    /// <summary>Longest accepted query, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>The word delimiters of log lines and queries (besides whitespace).</summary>
    public const string Delimiters = ",;=()[]{}@&<>/:'\"\\.!";

    private readonly Node? _root;

    private LogQuery(string text, Node? root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The query as given.</summary>
    public string Text { get; }

    /// <summary>True for an empty query (every line matches).</summary>
    public bool MatchesAll => _root is null;

    /// <summary>Compiles <paramref name="query"/>; null, empty or blank gives a query matching every line.</summary>
    /// <exception cref="LogQuerySyntaxException">The query is malformed (position and reason in the message).</exception>
    public static LogQuery Parse(string? query)
    {
        query ??= "";
        if (query.Length > MaxLength)
        {
            throw new LogQuerySyntaxException($"the query is longer than {MaxLength} characters", MaxLength);
        }

        var tokens = Lex(query);
        if (tokens.Count == 0)
        {
            return new LogQuery(query, null);
        }

        var parser = new Parser(tokens, query.Length);
        var root = parser.ParseOr();
        if (!parser.AtEnd)
        {
            var t = parser.Current;
            throw new LogQuerySyntaxException(t.Kind == Kind.Close
                ? "unbalanced ')'"
                : "two terms need an operator between them (&&, ||, AND, OR)", t.Position);
        }

        return new LogQuery(query, root);
    }

    /// <summary>Whether <paramref name="line"/> matches.</summary>
    public bool Matches(string line) => _root is null || _root.Matches(Words(line));

    /// <summary>Splits text into words at whitespace and <see cref="Delimiters"/>.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || char.IsWhiteSpace(text[i]) || Delimiters.Contains(text[i], StringComparison.Ordinal);
            if (boundary)
            {
                if (start >= 0)
                {
                    words.Add(text[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private enum Kind
    {
        Word,
        Quoted,
        And,
        Or,
        Open,
        Close,
    }

    private sealed record Token(Kind Kind, string Text, int Position);

    private static List<Token> Lex(string query)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var end = query.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new LogQuerySyntaxException("the quoted phrase is not closed with \"", i);
                }

                tokens.Add(new Token(Kind.Quoted, query[(i + 1)..end], i));
                i = end + 1;
            }
            else if (c == '&' && At(query, i + 1, '&'))
            {
                tokens.Add(new Token(Kind.And, "&&", i));
                i += 2;
            }
            else if (c == '|' && At(query, i + 1, '|'))
            {
                tokens.Add(new Token(Kind.Or, "||", i));
                i += 2;
            }
            else if (c == '|')
            {
                throw new LogQuerySyntaxException("a single '|' is not an operator; use || or OR", i);
            }
            else if (c == '(')
            {
                tokens.Add(new Token(Kind.Open, "(", i));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new Token(Kind.Close, ")", i));
                i++;
            }
            else
            {
                var start = i;
                while (i < query.Length && !char.IsWhiteSpace(query[i]) && query[i] is not ('"' or '(' or ')')
                    && !(query[i] == '&' && At(query, i + 1, '&')) && !(query[i] == '|'))
                {
                    i++;
                }

                var word = query[start..i];
                tokens.Add(word switch
                {
                    "AND" => new Token(Kind.And, word, start),
                    "OR" => new Token(Kind.Or, word, start),
                    _ => new Token(Kind.Word, word, start),
                });
            }
        }

        return tokens;
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private sealed class Parser(List<Token> tokens, int length)
    {
        private int _next;

        public bool AtEnd => _next >= tokens.Count;

        public Token Current => tokens[_next];

        public Node ParseOr()
        {
            var left = ParseAnd();
            while (!AtEnd && Current.Kind == Kind.Or)
            {
                _next++;
                left = new OrNode(left, ParseAnd());
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseOperand();
            while (!AtEnd && Current.Kind == Kind.And)
            {
                _next++;
                left = new AndNode(left, ParseOperand());
            }

            return left;
        }

        private Node ParseOperand()
        {
            if (AtEnd)
            {
                throw new LogQuerySyntaxException("a term is missing at the end of the query", length);
            }

            var token = Current;
            switch (token.Kind)
            {
                case Kind.Open:
                    _next++;
                    var inner = ParseOr();
                    if (AtEnd || Current.Kind != Kind.Close)
                    {
                        throw new LogQuerySyntaxException("'(' is not closed with ')'", token.Position);
                    }

                    _next++;
                    return inner;
                case Kind.Quoted:
                    _next++;
                    return Phrase(Words(token.Text), token);
                case Kind.Word:
                    var words = new List<string>();
                    while (!AtEnd && Current.Kind == Kind.Word)
                    {
                        words.AddRange(Words(Current.Text));
                        _next++;
                    }

                    return Phrase(words, token);
                default:
                    throw new LogQuerySyntaxException($"a term is missing before '{token.Text}'", token.Position);
            }
        }

        private static PhraseNode Phrase(List<string> words, Token at)
        {
            if (words.Count == 0)
            {
                throw new LogQuerySyntaxException("the term holds no word (only delimiters)", at.Position);
            }

            return new PhraseNode([.. words.Select(WordMatcher.Create)]);
        }
    }

    private abstract class Node
    {
        public abstract bool Matches(List<string> words);
    }

    private sealed class AndNode(Node left, Node right) : Node
    {
        public override bool Matches(List<string> words) => left.Matches(words) && right.Matches(words);
    }

    private sealed class OrNode(Node left, Node right) : Node
    {
        public override bool Matches(List<string> words) => left.Matches(words) || right.Matches(words);
    }

    private sealed class PhraseNode(WordMatcher[] terms) : Node
    {
        public override bool Matches(List<string> words)
        {
            for (var start = 0; start + terms.Length <= words.Count; start++)
            {
                var all = true;
                for (var k = 0; k < terms.Length && all; k++)
                {
                    all = terms[k].Matches(words[start + k]);
                }

                if (all)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class WordMatcher
    {
        private readonly string _exact = "";
        private readonly Regex? _fuzzy;

        private WordMatcher(string exact, Regex? fuzzy)
        {
            _exact = exact;
            _fuzzy = fuzzy;
        }

        public static WordMatcher Create(string word)
        {
            if (word.IndexOfAny(['*', '?']) < 0)
            {
                return new WordMatcher(word, null);
            }

            var pattern = new StringBuilder();
            foreach (var c in word)
            {
                pattern.Append(c switch
                {
                    '*' => ".*",
                    '?' => ".",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            return new WordMatcher("", new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline,
                TimeSpan.FromMilliseconds(50)));
        }

        public bool Matches(string word)
        {
            if (_fuzzy is null)
            {
                return string.Equals(word, _exact, StringComparison.OrdinalIgnoreCase);
            }

            try
            {
                return _fuzzy.IsMatch(word);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }
}

/// <summary>A malformed log query; <see cref="Position"/> is the 0-based character where the problem was found.</summary>
public sealed class LogQuerySyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong.</param>
    /// <param name="position">0-based character position in the query.</param>
    public LogQuerySyntaxException(string reason, int position)
        : base($"{reason} (at position {position})")
    {
        Reason = reason;
        Position = position;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>0-based character position.</summary>
    public int Position { get; }
}
