using System.Net.Http.Headers;
using System.Text;
using Infera.Client.Signing;

namespace Infera.Auth.Tests;

/// <summary>The worked examples of spec/auth.md §10 and the canonicalisation rules of §4.3.</summary>
public sealed class ApigSignatureTests
{
    internal const string Ak = "EXAMPLEAK1234567890A";
    internal const string Sk = "ExampleSecretKey/ForDocsOnly+0123456789a";
    internal const string Date = "20250101T000000Z";
    internal const string ServicePath = "/v1/infers/11111111-2222-3333-4444-555555555555";

    [Fact]
    public void Example1_GetWithQuery_MatchesTheSpec()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["host"] = ["infer.example.com"], ["x-sdk-date"] = [Date] };
        var canonical = ApigSignature.CanonicalRequest("GET", ApigSignature.CanonicalUri(ServicePath), ApigSignature.CanonicalQueryString("b=2&a=x%20y"),
            ApigSignature.CanonicalHeaders(["host", "x-sdk-date"], n => headers[n])!, "host;x-sdk-date", ApigSignature.EmptyBodySha256);

        Assert.Equal(
            "GET\n/v1/infers/11111111-2222-3333-4444-555555555555/\na=x%20y&b=2\nhost:infer.example.com\nx-sdk-date:20250101T000000Z\n\nhost;x-sdk-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
        Assert.Equal("57cc6625acc431c2811f808a9a71e478b7875938c2788e6c2f117f063686ef01", ApigSignature.Sha256Hex(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal("56e873cc7cde32f53c00ee683963310fe297d04671a0f505aae8ce27d3ddcd81", ApigSignature.Sign(Sk, ApigSignature.StringToSign(Date, canonical)));
    }

    [Fact]
    public void Example2_PostJson_MatchesTheSpec()
    {
        var body = Encoding.UTF8.GetBytes("""{"inputs":"hello"}""");
        Assert.Equal("f501139a249d6c50826fb24ea29220a9e1c84e491842c0301984046984fb6155", ApigSignature.Sha256Hex(body));
        var headers = new Dictionary<string, IReadOnlyList<string>>
        {
            ["content-type"] = ["application/json"], ["host"] = ["infer.example.com"], ["x-sdk-date"] = [Date],
        };
        var canonical = ApigSignature.CanonicalRequest("POST", ApigSignature.CanonicalUri(ServicePath), ApigSignature.CanonicalQueryString(""),
            ApigSignature.CanonicalHeaders(["content-type", "host", "x-sdk-date"], n => headers[n])!, "content-type;host;x-sdk-date", ApigSignature.Sha256Hex(body));
        Assert.Equal("50bd55170c742c827dc7c3b0a2b67679c581385c325cf4749b832457fb99e8c5", ApigSignature.Sha256Hex(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal("0a1afbc9146a3f80ea676de26a142ac1614132efda14046c58e9a87a94eae627", ApigSignature.Sign(Sk, ApigSignature.StringToSign(Date, canonical)));
    }

    [Fact]
    public async Task Signer_OnExample2_ProducesTheSpecSignature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://infer.example.com" + ServicePath)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"inputs":"hello"}""")),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await new ApigSigner(Ak, Sk).SignAsync(request, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(Date, request.Headers.GetValues("X-Sdk-Date").Single());
        Assert.Equal(
            "SDK-HMAC-SHA256 Access=EXAMPLEAK1234567890A, SignedHeaders=content-type;host;x-sdk-date, Signature=0a1afbc9146a3f80ea676de26a142ac1614132efda14046c58e9a87a94eae627",
            request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task Signer_StreamBody_IsSentUnsigned()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://127.0.0.1:8090/v1/p/obs/buckets/b/objects/k")
        {
            Content = new StreamContent(new MemoryStream([1, 2, 3])),
        };
        await new ApigSigner(Ak, Sk).SignAsync(request, DateTimeOffset.UtcNow);
        Assert.Equal(ApigSignature.UnsignedPayload, request.Headers.GetValues(ApigSignature.ContentSha256Header).Single());
        Assert.Contains("SignedHeaders=host;x-sdk-content-sha256;x-sdk-date,", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1:8090", request.Headers.Host);
    }

    [Theory]
    [InlineData("/v1/infers/x", "/v1/infers/x/")]
    [InlineData("/v1/infers/x/", "/v1/infers/x/")]
    [InlineData("", "/")]
    [InlineData("/a b/:@/%C3%A9", "/a%20b/%3A%40/%C3%A9/")]
    [InlineData("/my%20model/a%2Fb", "/my%20model/a/b/")]
    [InlineData("/a+b/~x_y.z-", "/a%2Bb/~x_y.z-/")]
    [InlineData("/bad%zzescape", "/bad%25zzescape/")]
    public void CanonicalUri_DecodesThenEncodesStrictly(string raw, string expected) =>
        Assert.Equal(expected, ApigSignature.CanonicalUri(raw));

    [Theory]
    [InlineData("b=2&a=x%20y", "a=x%20y&b=2")]
    [InlineData("a=x%20y&b=2", "a=x%20y&b=2")]
    [InlineData("flag", "flag=")]
    [InlineData("k=2&k=1&K=3", "K=3&k=1&k=2")]
    [InlineData("a=1+2&&=x&p=a/b*c~", "a=1%2B2&p=a%2Fb%2Ac~")]
    [InlineData("?x=%E4%BD%A0", "x=%E4%BD%A0")]
    [InlineData("", "")]
    public void CanonicalQuery_SortsDecodedPairsAndEncodesStrictly(string raw, string expected) =>
        Assert.Equal(expected, ApigSignature.CanonicalQueryString(raw));

    [Fact]
    public void CanonicalHeaders_TrimsValues_KeepsInnerSpace_SortsRepeatedValues_AndFailsOnMissing()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["x-custom-trace"] = ["  abc 123 "], ["x-multi"] = ["b", "a"] };
        Assert.Equal("x-custom-trace:abc 123\nx-multi:a\nx-multi:b\n",
            ApigSignature.CanonicalHeaders(["x-custom-trace", "x-multi"], n => headers.GetValueOrDefault(n)));
        Assert.Null(ApigSignature.CanonicalHeaders(["x-custom-trace", "host"], n => headers.GetValueOrDefault(n)));
    }

    [Theory]
    [InlineData("20250101T000000Z", true)]
    [InlineData("20250101T000000", false)]
    [InlineData("2025-01-01T00:00:00Z", false)]
    [InlineData("20251301T000000Z", false)]
    [InlineData(null, false)]
    public void Date_IsParsedStrictly(string? value, bool valid) => Assert.Equal(valid, ApigSignature.TryParseDate(value, out _));
}
