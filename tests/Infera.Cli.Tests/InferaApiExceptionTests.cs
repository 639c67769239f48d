using System.Net;
using Infera.Client;

namespace Infera.Cli.Tests;

public sealed class InferaApiExceptionTests
{
    [Fact]
    public void Parse_ModelArtsBody_ReadsCodeAndMessage()
    {
        var ex = InferaApiException.Parse(HttpStatusCode.NotFound, """{"error_code":"ModelArts.3502","error_msg":"Service x was not found."}""", "hdr-id");

        Assert.Equal(HttpStatusCode.NotFound, ex.HttpStatus);
        Assert.Equal("ModelArts.3502", ex.ErrorCode);
        Assert.Equal("Service x was not found.", ex.ErrorMessage);
        Assert.Equal("hdr-id", ex.RequestId);
        Assert.Equal("ModelArts.3502: Service x was not found.", ex.Message);
    }

    [Fact]
    public void Parse_ApigBody_PrefersBodyRequestId()
    {
        var ex = InferaApiException.Parse(HttpStatusCode.Unauthorized, """{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: token expires","request_id":"abc123"}""", "hdr");

        Assert.Equal("APIG.0301", ex.ErrorCode);
        Assert.Equal("abc123", ex.RequestId);
    }

    [Fact]
    public void Parse_KeystoneBody_UsesTitleAndMessage()
    {
        var ex = InferaApiException.Parse(HttpStatusCode.Unauthorized, """{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}""", null);

        Assert.Equal("Unauthorized", ex.ErrorCode);
        Assert.Equal("The username or password is wrong.", ex.ErrorMessage);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>", "<html>Bad gateway</html>")]
    [InlineData("", "the server answered 502 BadGateway without details")]
    [InlineData(null, "the server answered 502 BadGateway without details")]
    public void Parse_NotJson_KeepsTextWithoutCode(string? body, string message)
    {
        var ex = InferaApiException.Parse(HttpStatusCode.BadGateway, body, null);

        Assert.Null(ex.ErrorCode);
        Assert.Equal(message, ex.ErrorMessage);
    }

    [Fact]
    public void InferaApiException_IsAnInferaClientException()
    {
        Assert.IsAssignableFrom<InferaClientException>(new InferaApiException(HttpStatusCode.BadRequest, "c", "m", null));
    }
}
