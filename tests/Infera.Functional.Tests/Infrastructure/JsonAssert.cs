using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infera.Functional.Tests.Infrastructure;

/// <summary>Structural JSON equality where numbers compare by value (<c>0.0</c> equals <c>0</c>).</summary>
internal static class JsonAssert
{
    public static void Equal(JsonNode? expected, JsonNode? actual, string context)
    {
        Assert.True(Same(expected, actual), $"{context}: expected {expected?.ToJsonString()} but got {actual?.ToJsonString()}");
    }

    private static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && Same(p.Value, y[p.Key])),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number =>
            x.GetValue<double>() == y.GetValue<double>(),
        (JsonValue x, JsonValue y) => x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };
}
