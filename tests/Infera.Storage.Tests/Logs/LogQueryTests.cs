using Infera.Storage.Logs;

namespace Infera.Storage.Tests.Logs;

/// <summary>The R-S12 search syntax (seed 003 §3.1.2 log search rules) over real-looking worker lines.</summary>
public sealed class LogQueryTests
{
    private const string Traceback = "RuntimeError: boom from user code";
    private const string Served = "2026-05-01 10:00:00,123 INFO infera-worker: POST /: 200 in 12.5 ms";
    private const string Refresh = "[main] Start to refresh the model cache (query logs)";
    private const string Loaded = "model loaded.";
    private const string Pairs = "batch_size=32; lr=0.01";

    private static bool Match(string query, string line) => LogQuery.Parse(query).Matches(line);

    [Theory]
    [InlineData("boom", Traceback, true)]
    [InlineData("BOOM", Traceback, true)] // case is ignored
    [InlineData("boo", Traceback, false)] // an exact keyword is a whole word
    [InlineData("RuntimeError", Traceback, true)] // "RuntimeError:" — ':' is a delimiter
    [InlineData("loaded", Loaded, true)] // '.' is a delimiter: "loaded." is the word "loaded"
    [InlineData("INFO", Served, true)]
    [InlineData("12.5", Served, true)] // a query word with delimiters is a phrase of its parts: "12" "5"
    [InlineData("200", Served, true)]
    [InlineData("20", Served, false)]
    public void ExactKeyword(string query, string line, bool expected) => Assert.Equal(expected, Match(query, line));

    [Theory]
    [InlineData("er?or", "an error here", true)] // the seed's examples: error, er?or, rro*, er*r
    [InlineData("rro*", "an error here", true)]
    [InlineData("er*r", "an error here", true)]
    [InlineData("error", "an error here", true)]
    [InlineData("er?or", "an eror here", false)] // ? is exactly one character
    [InlineData("er*r", "an eror here", true)] // * may be empty
    [InlineData("Runtime*", Traceback, true)]
    [InlineData("worker*", Served, true)] // "infera-worker" contains a match
    [InlineData("x*z", Traceback, false)]
    [InlineData("b??m", Traceback, true)]
    [InlineData("b?m", Traceback, false)]
    public void FuzzyKeyword(string query, string line, bool expected) => Assert.Equal(expected, Match(query, line));

    [Theory]
    [InlineData("Start to refresh", Refresh, true)] // unquoted words in a row form a phrase
    [InlineData("\"Start to refresh\"", Refresh, true)]
    [InlineData("\"to Start refresh\"", Refresh, false)] // order matters
    [InlineData("Start refresh", Refresh, false)] // consecutive words only
    [InlineData("\"boom from user\"", Traceback, true)]
    [InlineData("\"query logs\"", Refresh, true)] // "(query logs)": parentheses are delimiters of the line
    [InlineData("\"boom AND user\"", Traceback, false)] // inside quotes AND is a word
    [InlineData("from us*", Traceback, true)] // a phrase may hold fuzzy words
    [InlineData("lr=0.01", Pairs, true)]
    [InlineData("batch_size 32", Pairs, true)]
    public void Phrase(string query, string line, bool expected) => Assert.Equal(expected, Match(query, line));

    [Theory]
    [InlineData("query logs&&erro*", "query logs: error found", true)] // the seed's combination formats
    [InlineData("query logs&&erro*", "query logs: all fine", false)]
    [InlineData("query logs||erro*", "no logs: error found", true)]
    [InlineData("query logs AND erro*", "query logs: error found", true)]
    [InlineData("query logs OR erro*", "an error", true)]
    [InlineData("query logs OR erro*", "nothing", false)]
    [InlineData("boom && missing || RuntimeError", Traceback, true)] // AND binds tighter than OR
    [InlineData("boom && (missing || absent)", Traceback, false)]
    [InlineData("(boom || absent) AND user", Traceback, true)]
    [InlineData("boom and user", Traceback, false)] // lower-case and is a word of the phrase "boom and user"
    public void AndOr(string query, string line, bool expected) => Assert.Equal(expected, Match(query, line));

    [Fact]
    public void EmptyQuery_MatchesEverything()
    {
        Assert.True(LogQuery.Parse(null).MatchesAll);
        Assert.True(LogQuery.Parse("   ").Matches("anything"));
    }

    [Theory]
    [InlineData("\"unclosed", "the quoted phrase is not closed", 0)]
    [InlineData("boom &&", "a term is missing at the end of the query", 7)]
    [InlineData("&& boom", "a term is missing before '&&'", 0)]
    [InlineData("a | b", "a single '|' is not an operator", 2)]
    [InlineData("(boom", "'(' is not closed with ')'", 0)]
    [InlineData("boom)", "unbalanced ')'", 4)]
    [InlineData("boom (user)", "two terms need an operator between them", 5)]
    [InlineData("=:;", "the term holds no word", 0)]
    public void Malformed_IsRejectedWithThePosition(string query, string reason, int position)
    {
        var e = Assert.Throws<LogQuerySyntaxException>(() => LogQuery.Parse(query));
        Assert.StartsWith(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal(position, e.Position);
    }

    [Fact]
    public void TooLong_IsRejected() =>
        Assert.Throws<LogQuerySyntaxException>(() => LogQuery.Parse(new string('a', LogQuery.MaxLength + 1)));

    [Fact]
    public void Words_SplitAtWhitespaceAndTheSeedDelimiters() =>
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"], LogQuery.Words("a;b=c(d)[e]{f}@g&h<i>/j:k"));
}
