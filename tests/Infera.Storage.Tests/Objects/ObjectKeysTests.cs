using Infera.Core.Errors;
using Infera.Storage.Objects;

namespace Infera.Storage.Tests.Objects;

public sealed class ObjectKeysTests
{
    [Theory]
    [InlineData("model/config.json")]
    [InlineData("a")]
    [InlineData("数据/图片 1.png")]
    [InlineData("a..b/c.d")]
    public void ValidateKey_SafeRelativeKey_IsAccepted(string key) => ObjectKeys.ValidateKey(key);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("a/../../b", "'..'")]
    [InlineData("a/./b", "'.'")]
    [InlineData("/etc/passwd", "relative")]
    [InlineData("a\0b", "NUL")]
    [InlineData("a\\..\\b", "backslash")]
    [InlineData("a//b", "empty")]
    [InlineData("folder/", "end with '/'")]
    public void ValidateKey_UnsafeKey_Is400NamingTheRule(string key, string fragment)
    {
        var error = Assert.Throws<InferaException>(() => ObjectKeys.ValidateKey(key));
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("ModelArts.3037", error.ErrorCode);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("Upper")]
    [InlineData("a..b")]
    [InlineData("under_score")]
    public void ValidateBucket_InvalidName_Is400(string bucket) =>
        Assert.Equal(400, Assert.Throws<InferaException>(() => ObjectKeys.ValidateBucket(bucket)).HttpStatus);
}
