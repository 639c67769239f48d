namespace Infera.Cli.Tests.Fakes;

/// <summary>A request as the fake backend saw it.</summary>
public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body, string? ContentType)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
