namespace Infera.Functional.Tests.Infrastructure;

/// <summary>One server shared by the tests of a collection (samples built once, server started once).</summary>
public sealed class SharedServerFixture : IAsyncLifetime
{
    public SamplesFixture Samples { get; private set; } = null!;

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Samples = new SamplesFixture();
        Server = await TestServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Samples.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServerCollection : ICollectionFixture<SharedServerFixture>
{
    public const string Name = "shared server";
}
