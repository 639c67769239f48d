using System.Net;
using System.Text;
using Infera.Client.Signing;
using Infera.Server.Identity;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using static Infera.Auth.Tests.ApigSignatureTests;

namespace Infera.Auth.Tests;

/// <summary>The server-side checks of spec/auth.md §4.2 on real SQLite stores, with the worked examples as requests.</summary>
public sealed class SignatureVerifierTests : IDisposable
{
    private const string Example2Authorization =
        "SDK-HMAC-SHA256 Access=EXAMPLEAK1234567890A, SignedHeaders=content-type;host;x-sdk-date, Signature=0a1afbc9146a3f80ea676de26a142ac1614132efda14046c58e9a87a94eae627";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "infera-auth-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly AccessKeyStore _keys;
    private readonly AppStore _apps;
    private readonly SecretProtector _protector;
    private readonly AuthOptions _options = new();
    private readonly SignatureVerifier _verifier;

    public SignatureVerifierTests()
    {
        Directory.CreateDirectory(_folder);
        var database = new InferaDatabase(Path.Combine(_folder, "infera.db"));
        _keys = new AccessKeyStore(database);
        _apps = new AppStore(database);
        _protector = SecretProtector.FromFile(Path.Combine(_folder, "secrets.key"));
        _keys.TryInsert(new AccessKeyStore.AccessKeyRow(Ak, "user-1", _protector.Protect(Sk, "ak:" + Ak), "", "active", 0), 5);
        _verifier = new SignatureVerifier(_keys, _apps, _protector, new SignatureThrottle(_options, _time), _options, _time);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Example1_Verifies()
    {
        var context = Request("GET", ServicePath + "?b=2&a=x%20y", "",
            ("Authorization", "SDK-HMAC-SHA256 Access=EXAMPLEAK1234567890A, SignedHeaders=host;x-sdk-date, Signature=56e873cc7cde32f53c00ee683963310fe297d04671a0f505aae8ce27d3ddcd81"));
        var result = await _verifier.VerifyAsync(context, 1024);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(Ak, result.AccessKey!.AccessKey);
    }

    [Theory]
    [InlineData(ServicePath)]
    [InlineData(ServicePath + "/")]
    public async Task Example2_Verifies_WithOrWithoutTrailingSlash_AndUnsignedExtraHeaders(string path)
    {
        var context = Example2(path, """{"inputs":"hello"}""");
        context.Request.Headers.UserAgent = "curl/8";
        context.Request.Headers.ContentLength = 18;
        var result = await _verifier.VerifyAsync(context, 1024);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("""{"inputs":"hello"}""", await new StreamReader(context.Request.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Example1_WithQueryInAnotherOrder_Verifies()
    {
        var context = Request("GET", ServicePath + "?a=x%20y&b=2", "",
            ("Authorization", "SDK-HMAC-SHA256 Access=EXAMPLEAK1234567890A, SignedHeaders=host;x-sdk-date, Signature=56e873cc7cde32f53c00ee683963310fe297d04671a0f505aae8ce27d3ddcd81"));
        Assert.True((await _verifier.VerifyAsync(context, 1024)).Succeeded);
    }

    [Fact]
    public async Task OneChangedBodyByte_Fails_WithTheServerCanonicalRequest()
    {
        var result = await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hellO"}"""), 1024);
        Assert.False(result.Succeeded);
        Assert.Equal(401, result.Status);
        Assert.Equal("APIG.0301", result.ErrorCode);
        Assert.StartsWith("Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:POST|/v1/infers/", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(-16, true)]
    [InlineData(14, false)]
    [InlineData(-14, false)]
    public async Task ClockSkew_Beyond15Minutes_IsExpired_BothWays(int minutes, bool expired)
    {
        _time.Now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes);
        var result = await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hello"}"""), 1024);
        Assert.Equal(!expired, result.Succeeded);
        if (expired)
        {
            Assert.Contains("signature expired, signature time:20250101T000000Z,server time:", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownOrInactiveKey_MissingSignedHeader_BadDate_AndOtherAlgorithms_Fail()
    {
        var unknown = await _verifier.VerifyAsync(Example2(ServicePath, "{}", Example2Authorization.Replace(Ak, "UNKNOWNAK12345678901", StringComparison.Ordinal)), 1024);
        Assert.Contains("Get secretKey failed,ak:UNKNOWNAK12345678901,err:ak not exist", unknown.Message, StringComparison.Ordinal);

        var missing = Example2(ServicePath, """{"inputs":"hello"}""", Example2Authorization.Replace("content-type;host;x-sdk-date", "content-type;host;x-sdk-date;x-stage", StringComparison.Ordinal));
        Assert.Contains("a signed header is missing", (await _verifier.VerifyAsync(missing, 1024)).Message, StringComparison.Ordinal);

        var badDate = Example2(ServicePath, """{"inputs":"hello"}""");
        badDate.Request.Headers["X-Sdk-Date"] = "2025-01-01T00:00:00Z";
        Assert.Contains("invalid x-sdk-date", (await _verifier.VerifyAsync(badDate, 1024)).Message, StringComparison.Ordinal);

        var v11 = Example2(ServicePath, "{}", "V11-HMAC-SHA256 Credential=EXAMPLEAK1234567890A/20250101/r/s, SignedHeaders=host, Signature=00");
        Assert.Contains("unsupported signature algorithm", (await _verifier.VerifyAsync(v11, 1024)).Message, StringComparison.Ordinal);

        _keys.SetStatus(Ak, "inactive");
        Assert.Contains("ak is inactive", (await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hello"}"""), 1024)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsignedPayload_IsAccepted_AndADeclaredWrongHash_IsRejected()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>
        {
            ["host"] = ["infer.example.com"], ["x-sdk-content-sha256"] = [ApigSignature.UnsignedPayload], ["x-sdk-date"] = [Date],
        };
        var canonical = ApigSignature.CanonicalRequest("POST", ApigSignature.CanonicalUri(ServicePath), "",
            ApigSignature.CanonicalHeaders(["host", "x-sdk-content-sha256", "x-sdk-date"], n => headers[n])!, "host;x-sdk-content-sha256;x-sdk-date", ApigSignature.UnsignedPayload);
        var authorization = ApigSignature.Authorization(Ak, "host;x-sdk-content-sha256;x-sdk-date", ApigSignature.Sign(Sk, ApigSignature.StringToSign(Date, canonical)));
        var context = Request("POST", ServicePath, "any body at all", ("Authorization", authorization), ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"));
        Assert.True((await _verifier.VerifyAsync(context, 4)).Succeeded, "an unsigned body is not hashed, so its size is not checked here");

        var wrongHash = Example2(ServicePath, """{"inputs":"hello"}""");
        wrongHash.Request.Headers["X-Sdk-Content-Sha256"] = new string('0', 64);
        Assert.Contains("x-sdk-content-sha256 does not match the body", (await _verifier.VerifyAsync(wrongHash, 1024)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyAboveTheLimit_Is413()
    {
        var result = await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hello"}"""), 10);
        Assert.Equal(413, result.Status);
        Assert.Equal("APIG.0201", result.ErrorCode);
    }

    [Fact]
    public async Task AppKey_WithTheSameSecret_GivesTheSameSignature_AndFindsTheApp()
    {
        const string appKey = "0123456789abcdef0123456789abcdef";
        _apps.TryInsert(new AppStore.AppRow("app-1", "p", "user-1", "app_test", "", appKey, _protector.Protect(Sk, "app:app-1"), 0, 0), 5);
        var result = await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hello"}""", Example2Authorization.Replace(Ak, appKey, StringComparison.Ordinal)), 1024);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("app-1", result.App!.Id);

        var tampered = await _verifier.VerifyAsync(Example2(ServicePath, "{}", Example2Authorization.Replace(Ak, appKey, StringComparison.Ordinal)), 1024);
        Assert.Equal("APIG.0303", tampered.ErrorCode);
        Assert.StartsWith("Incorrect app authentication information: verify signature fail", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanFiveFailures_LockTheKeyForThatAddressOnly_ForFiveMinutes()
    {
        for (var i = 0; i < 6; i++)
        {
            Assert.Contains("verify aksk signature fail", (await _verifier.VerifyAsync(Example2(ServicePath, "{}"), 1024)).Message, StringComparison.Ordinal);
        }

        var locked = await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hello"}"""), 1024);
        Assert.Contains("AK access failed to reach the limit,forbidden", locked.Message, StringComparison.Ordinal);

        var elsewhere = Example2(ServicePath, """{"inputs":"hello"}""");
        elsewhere.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.9");
        Assert.True((await _verifier.VerifyAsync(elsewhere, 1024)).Succeeded);

        _time.Now = _time.Now.AddMinutes(5).AddSeconds(1);
        // the signing time is now 5 minutes old, still inside the 15-minute window
        Assert.True((await _verifier.VerifyAsync(Example2(ServicePath, """{"inputs":"hello"}"""), 1024)).Succeeded);
    }

    [Fact]
    public void StoredSecrets_AreEncrypted_AndBoundToTheirPurpose()
    {
        var stored = _keys.Find(Ak)!.SecretProtected;
        Assert.DoesNotContain(Sk, stored, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(_folder, "infera.db*"))
        {
            // the database file and its WAL: a dump of either shows no secret
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Assert.DoesNotContain(Sk, new StreamReader(stream, Encoding.Latin1).ReadToEnd(), StringComparison.Ordinal);
        }
        Assert.Equal(Sk, _protector.Unprotect(stored, "ak:" + Ak));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => _protector.Unprotect(stored, "ak:OTHER"));
        var otherKey = new SecretProtector(new byte[32]);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => otherKey.Unprotect(stored, "ak:" + Ak));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "secrets.key")));
    }

    private static DefaultHttpContext Example2(string path, string body, string authorization = Example2Authorization) =>
        Request("POST", path, body, ("Content-Type", "application/json"), ("Authorization", authorization));

    private static DefaultHttpContext Request(string method, string target, string body, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        context.Request.Method = method;
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = Uri.UnescapeDataString(queryAt < 0 ? target : target[..queryAt]);
        context.Request.QueryString = queryAt < 0 ? QueryString.Empty : new QueryString(target[queryAt..]);
        context.Request.Headers.Host = "infer.example.com";
        context.Request.Headers["X-Sdk-Date"] = Date;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        return context;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
