using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infera.Client.Internal;

/// <summary>Serializer settings shared by every call: snake_case names come from attributes, unknown fields are ignored.</summary>
internal static class InferaJson
{
    /// <summary>The options used for requests and responses.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // ModelArts examples send numbers such as weight as strings ("70"); accept both.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
