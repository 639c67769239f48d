using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>Reads the request body as <typeparamref name="T"/>; a missing or malformed body is a 400 ModelArts.0101 naming the problem.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
            return body ?? throw Errors.InvalidArgument("The request body is empty; a JSON object is required.");
        }
        catch (JsonException e)
        {
            throw Errors.InvalidArgument($"The request body is not valid JSON for this call: {e.Message}");
        }
    }

    /// <summary>
    /// Reads an optional JSON object body: null when the request has none (no Content-Length above 0 and not chunked).
    /// </summary>
    /// <exception cref="Core.Errors.InferaException">400 ModelArts.0101 for a malformed body.</exception>
    public static async Task<JsonObject?> ReadOptionalObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
            ? await ReadBodyAsync<JsonObject>(request, cancellationToken)
            : null;

    /// <summary>The string value of <paramref name="name"/> in <paramref name="node"/>, or null when absent or not a string.</summary>
    public static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
