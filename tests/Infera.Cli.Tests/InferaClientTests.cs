using Infera.Cli.Tests.Fakes;
using Infera.Client;
using Infera.Client.Obs;

namespace Infera.Cli.Tests;

public sealed class InferaClientTests : IDisposable
{
    private readonly FakeInferaBackend backend = new();

    public void Dispose() => backend.Dispose();

    private InferaClient Build() => new InferaClientBuilder()
        .UseEndpoint(new Uri("http://fake:8090"))
        .UseToken(FakeInferaBackend.Token, FakeInferaBackend.ProjectId)
        .UseHttpMessageHandler(backend)
        .Build();

    [Fact]
    public async Task ListObjectsAsync_FollowsNextMarkerAcrossPages()
    {
        backend.Buckets["b"] = 1;
        foreach (var key in new[] { "p/1", "p/2", "p/3", "p/4", "q/5" })
        {
            backend.Objects["b/" + key] = [];
        }

        backend.ObjectPageSize = 2;
        using var client = Build();

        var keys = new List<string>();
        await foreach (var item in client.ListObjectsAsync("b", "p/", CancellationToken.None).WithCancellation(CancellationToken.None))
        {
            keys.Add(item.Key);
        }

        Assert.Equal(["p/1", "p/2", "p/3", "p/4"], keys);
        Assert.Contains(backend.Requests, r => r.Uri.Query.Contains("marker=p%2F2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallerCancellation_IsNotWrapped()
    {
        using var client = Build();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListBucketsAsync(cancelled.Token)).WaitAsync(CliHarness.Timeout);
    }

    [Fact]
    public async Task TransportFailure_IsWrappedWithInnerException()
    {
        backend.Fail = new HttpRequestException("Connection refused");
        using var client = Build();

        var ex = await Assert.ThrowsAsync<InferaClientException>(() => client.ListBucketsAsync(CancellationToken.None)).WaitAsync(CliHarness.Timeout);

        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task Timeout_IsWrappedAsClientException()
    {
        backend.Fail = new TaskCanceledException("timeout");
        using var client = Build();

        var ex = await Assert.ThrowsAsync<InferaClientException>(() => client.ListBucketsAsync(CancellationToken.None)).WaitAsync(CliHarness.Timeout);

        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiError_ThrowsInferaApiException()
    {
        using var client = Build();

        var ex = await Assert.ThrowsAsync<InferaApiException>(() => client.GetServiceAsync("nope", CancellationToken.None)).WaitAsync(CliHarness.Timeout);

        Assert.Equal("ModelArts.3502", ex.ErrorCode);
    }

    [Fact]
    public async Task Credentials_LogInOnceAndReuseToken()
    {
        using var client = new InferaClientBuilder()
            .UseEndpoint(new Uri("http://fake:8090"))
            .UseCredentials(new InferaCredentials("default", "admin", "secret", "default"))
            .UseHttpMessageHandler(backend)
            .Build();

        await client.ListBucketsAsync(CancellationToken.None).WaitAsync(CliHarness.Timeout);
        await client.ListServicesAsync(null, CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Single(backend.Requests, r => r.Uri.AbsolutePath == "/v3/auth/tokens");
        Assert.Equal(3, backend.Requests.Count);
    }

    [Fact]
    public async Task PutAndGetObject_RoundTripsKeysWithSpecialCharacters()
    {
        backend.Buckets["b"] = 1;
        using var client = Build();
        using var content = new MemoryStream("hello"u8.ToArray());

        var put = await client.PutObjectAsync("b", "a b/c#d?.txt", content, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        await using var read = await client.GetObjectAsync("b", "a b/c#d?.txt", CancellationToken.None).WaitAsync(CliHarness.Timeout);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Equal(5, put.Size);
        Assert.Equal("hello"u8.ToArray(), copy.ToArray());
        Assert.True(content.CanRead, "the caller's stream stays open");
    }

    [Fact]
    public async Task Predict_ModelError_IsReturnedNotThrown()
    {
        backend.Infer = _ => (500, "text/plain", "boom");
        using var client = Build();

        var response = await client.PredictAsync(new Infera.Client.Inference.PredictRequest { ServiceId = "s1", Json = "{}" }, CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("boom", response.GetBodyText());
        Assert.False(response.IsSuccess);
    }

    [Fact]
    public void Builder_WithoutEndpoint_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new InferaClientBuilder().Build());
        Assert.Throws<ArgumentException>(() => new InferaClientBuilder().UseEndpoint(new Uri("ftp://x")));
    }

    [Fact]
    public void ObsUri_UsedByClient_IsPublic()
    {
        Assert.Equal("b", ObsUri.Parse("obs://b/k").Bucket);
    }
}
