using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infera.Core.Documents;
using Infera.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Infera.Server.Api;

/// <summary>JSON conventions at the edge: snake_case names, numbers accepted as strings (the docs send <c>"weight":"70"</c>).</summary>
public static class ApiJson
{
    /// <summary>The serializer options of every API request and response body.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the conventions to <paramref name="options"/> and returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.AllowTrailingCommas = true;
        return options;
    }

    /// <summary>Largest JSON body a management call reads (16 MiB); larger answers 413 ModelArts.0413.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly LenientJsonOptions BodyOptions = new() { DocumentName = "The request body" };

    /// <summary>
    /// Reads the request body as <typeparamref name="T"/>. The body goes through <see cref="LenientJson"/> first (issue
    /// #20: the one reader of user JSON; a repeated key keeps its last value, an unpaired surrogate escape becomes
    /// U+FFFD, nesting is bounded), so every malformed body is a 400 naming the problem, never a 500.
    /// </summary>
    /// <exception cref="InferaException">400 ModelArts.0101 for a missing or malformed body; 413 ModelArts.0413 above <see cref="MaxBodyBytes"/>.</exception>
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var node = await ReadNodeAsync(request, cancellationToken) ?? throw Errors.InvalidArgument("The request body is empty; a JSON object is required.");
        if (node is T same)
        {
            return same;
        }

        try
        {
            return node.Deserialize<T>(Options) ?? throw Errors.InvalidArgument("The request body is null; a JSON object is required.");
        }
        catch (JsonException e)
        {
            throw Errors.InvalidArgument($"The request body is not valid JSON for this call: {e.Message}");
        }
    }

    /// <summary>The body as a sanitized JSON tree (null when empty or JSON <c>null</c>).</summary>
    /// <exception cref="InferaException">400 ModelArts.0101 naming the line and position of a malformed body; 413 ModelArts.0413 when too large.</exception>
    public static async Task<JsonNode?> ReadNodeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InferaException(413, "ModelArts.0413", $"The request body is {request.ContentLength} bytes; at most {MaxBodyBytes} bytes of JSON are accepted.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InferaException(413, "ModelArts.0413", $"The request body is larger than {MaxBodyBytes} bytes of JSON.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        var result = LenientJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), BodyOptions);
        return result.Problem is { } problem ? throw Errors.InvalidArgument(problem.Message) : result.Root;
    }

    /// <summary>
    /// Reads an optional JSON object body: null when the request has none (no Content-Length above 0 and not chunked).
    /// </summary>
    /// <exception cref="Core.Errors.InferaException">400 ModelArts.0101 for a malformed body.</exception>
    public static async Task<JsonObject?> ReadOptionalObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
            ? await ReadBodyAsync<JsonObject>(request, cancellationToken)
            : null;

    /// <summary>The string value of <paramref name="name"/> in <paramref name="node"/>, or null when absent, not a string or <paramref name="node"/> is no object.</summary>
    public static string? Text(JsonNode? node, string name) =>
        Member(node, name) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The member <paramref name="name"/> of <paramref name="node"/> when it is an object that has it; otherwise null (never throws).</summary>
    public static JsonNode? Member(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value : null;
}
