using Infera.Core.Identity;
using Infera.Gateway.Routing.Rules;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Tests.Routing.Rules;

public sealed class RuleConditionTests
{
    private static readonly CallerIdentity Zhangsan = new("d-1", "zhangsan", "p-1", "cn-north-4", "u-1", "alice");
    private static readonly CallerIdentity Operator = new("d-2", "ops-team", "p-2", "cn-south-1", "u-2", "bob");

    private static bool Eval(string condition, CallerIdentity caller, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return RuleCondition.Parse(condition).Matches(new RuleVariables(caller, dictionary));
    }

    // Seed 003 §3.1.2, the examples as printed.
    [Fact]
    public void SeedExample_DomainNameEquals_MatchesOnlyThatAccount()
    {
        Assert.True(Eval("#DOMAIN_NAME == 'zhangsan'", Zhangsan));
        Assert.False(Eval("#DOMAIN_NAME == 'zhangsan'", Operator));
    }

    [Fact]
    public void SeedExample_DomainNameMatches_IsAWholeStringMatch()
    {
        Assert.True(Eval("#DOMAIN_NAME matches 'op.*'", Operator));
        Assert.False(Eval("#DOMAIN_NAME matches 'op.*'", Zhangsan));
        // Java String.matches: the whole value must match, so a pattern matching only a part does not.
        Assert.False(Eval("#DOMAIN_NAME matches 'team'", Operator));
        Assert.True(Eval("#DOMAIN_NAME matches '.*team'", Operator));
    }

    [Fact]
    public void SeedExample_HeaderVersion_AbsentOrDifferentHeaderDoesNotMatch()
    {
        Assert.True(Eval("#HEADER_version == '0.0.1'", Zhangsan, ("version", "0.0.1")));
        Assert.True(Eval("#HEADER_version == '0.0.1'", Zhangsan, ("Version", "0.0.1")));
        Assert.False(Eval("#HEADER_version == '0.0.1'", Zhangsan, ("version", "0.0.2")));
        Assert.False(Eval("#HEADER_version == '0.0.1'", Zhangsan));
    }

    [Fact]
    public void SeedExample_HeaderMatches_MockPrefix()
    {
        Assert.True(Eval("#HEADER_testheader matches 'mock.*'", Zhangsan, ("testheader", "mock-1")));
        Assert.False(Eval("#HEADER_testheader matches 'mock.*'", Zhangsan, ("testheader", "real")));
        Assert.False(Eval("#HEADER_testheader matches 'mock.*'", Zhangsan));
    }

    [Fact]
    public void SeedExample_HashCodeBucket_UsesJavaHashAndRemainder()
    {
        // "a".hashCode() = 97 → 97 % 100 = 97; "uid-1".hashCode() = 111578566 → 66; "0" → 48.
        Assert.False(Eval("#HEADER_uid.hashCode() % 100 < 10", Zhangsan, ("uid", "a")));
        Assert.True(Eval("#HEADER_uid.hashCode() % 100 < 98", Zhangsan, ("uid", "a")));
        // A negative hash keeps its sign under Java %, so it always falls under "< 10".
        Assert.True(JavaString.HashCode("polygenelubricants") < 0);
        Assert.True(Eval("#HEADER_uid.hashCode() % 100 < 10", Zhangsan, ("uid", "polygenelubricants")));
        Assert.False(Eval("#HEADER_uid.hashCode() % 100 < 10", Zhangsan));
    }

    [Theory]
    [InlineData("#USER_NAME == 'alice' && #PROJECT_NAME == 'cn-north-4'", true)]
    [InlineData("#USER_NAME == 'bob' || #PROJECT_ID == 'p-1'", true)]
    [InlineData("!(#DOMAIN_ID == 'd-1')", false)]
    [InlineData("#DOMAIN_ID != 'd-1'", false)]
    [InlineData("#USER_ID eq 'u-1' and not (#USER_NAME ne 'alice')", true)]
    [InlineData("(#USER_NAME == 'x' || #USER_NAME == 'alice') && #DOMAIN_NAME matches 'zh.*'", true)]
    [InlineData("#USER_NAME == 'x' || #USER_NAME == 'y' && true", false)]
    [InlineData("#HEADER_uid.hashCode() % 100 >= 0 || #HEADER_uid.hashCode() % 100 < 0", true)]
    [InlineData("#HEADER_uid.length() == 3", true)]
    [InlineData("#HEADER_uid.hashCode() == 96354", true)]
    [InlineData("#HEADER_uid.hashCode() % 7 * 2 + 1 - 1 <= 12", true)]
    [InlineData("-#HEADER_uid.hashCode() < 0", true)]
    [InlineData("#HEADER_x-tenant == 'acme'", true)]
    [InlineData("#HEADER_missing != 'x'", true)]
    [InlineData("'it''s' == \"it's\"", true)]
    [InlineData("true", true)]
    public void Evaluate_Combinations(string condition, bool expected) =>
        Assert.Equal(expected, Eval(condition, Zhangsan, ("uid", "abc"), ("X-Tenant", "acme")));

    [Fact]
    public void Evaluate_RegexTimeout_RuleDoesNotMatch()
    {
        var condition = RuleCondition.Parse("#HEADER_v matches '(a+)+b'");
        var headers = new HeaderDictionary { ["v"] = new string('a', 5000) + "c" };
        Assert.False(condition.TryMatch(new RuleVariables(Zhangsan, headers), out var failed));
        Assert.True(failed);
    }

    [Fact]
    public void Evaluate_MethodOnMissingHeader_FailsLikeSpel()
    {
        var condition = RuleCondition.Parse("#HEADER_uid.hashCode() % 100 < 10 || true");
        Assert.False(condition.TryMatch(new RuleVariables(Zhangsan, new HeaderDictionary()), out var failed));
        Assert.True(failed);
        Assert.True(RuleCondition.Parse("true || #HEADER_uid.hashCode() > 1").TryMatch(new RuleVariables(Zhangsan, new HeaderDictionary()), out failed));
        Assert.False(failed);
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("#DOMAIN_NAME = 'x'", 14, "use == to compare")]
    [InlineData("#DOMAIN_NAME == 'x", 17, "not closed")]
    [InlineData("#DOMAIN == 'x'", 1, "Unknown variable #DOMAIN")]
    [InlineData("#{DOMAIN_NAME} == 'x'", 1, "# must be followed")]
    [InlineData("#DOMAIN_NAME == zhangsan", 17, "Unknown word 'zhangsan'")]
    [InlineData("#DOMAIN_NAME == 'x' &&", 23, "ends too early")]
    [InlineData("#DOMAIN_NAME == 'x' & #USER_ID == 'y'", 21, "use && for and")]
    [InlineData("#DOMAIN_NAME matches 'op[.*'", 22, "Invalid regular expression")]
    [InlineData("#DOMAIN_NAME matches #USER_NAME", 22, "quoted regular expression")]
    [InlineData("#DOMAIN_NAME < 'x'", 14, "Strings can only be compared with == or !=")]
    [InlineData("#HEADER_uid.hashCode() % 0 < 1", 24, "% by zero")]
    [InlineData("#HEADER_uid.hashCode() % 100 < '10'", 30, "cannot compare a number with a string")]
    [InlineData("#HEADER_uid % 100 < 10", 13, "needs numbers on both sides")]
    [InlineData("#HEADER_uid.hash() < 10", 13, "Only .hashCode() and .length()")]
    [InlineData("#HEADER_uid.hashCode < 10", 22, "Expected ( after hashCode")]
    [InlineData("#DOMAIN_NAME", 1, "must be true or false")]
    [InlineData("#DOMAIN_NAME == 'a' == 'b'", 21, "cannot be chained")]
    [InlineData("(#DOMAIN_NAME == 'a'", 21, "closing )")]
    [InlineData("#DOMAIN_NAME == 'a')", 20, "Unexpected ')'")]
    [InlineData("#DOMAIN_NAME && #USER_ID == 'x'", 14, "&& combines conditions")]
    [InlineData("#HEADER_uid.hashCode() < 99999999999", 26, "does not fit a 32-bit integer")]
    public void Parse_Invalid_PointsAtThePosition(string condition, int position, string reason)
    {
        var e = Assert.Throws<RuleSyntaxException>(() => RuleCondition.Parse(condition));
        Assert.Equal(position, e.Position);
        Assert.Contains(reason, e.Message);
        Assert.Contains($"position {position}", e.Message);
    }

    [Fact]
    public void Parse_DeepNesting_IsRefused()
    {
        var text = new string('(', 40) + "true" + new string(')', 40);
        var e = Assert.Throws<RuleSyntaxException>(() => RuleCondition.Parse(text));
        Assert.Contains("nests deeper", e.Message);
    }

    [Fact]
    public void Parse_TooLong_IsRefused()
    {
        var text = "#DOMAIN_NAME == '" + new string('x', RuleCondition.MaxLength) + "'";
        Assert.Throws<RuleSyntaxException>(() => RuleCondition.Parse(text));
    }
}
