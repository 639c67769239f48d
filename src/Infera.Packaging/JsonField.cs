using System.Text.Json;

namespace Infera.Packaging;

/// <summary>A property value and its JSON path.</summary>
internal readonly record struct JsonField(string Path, JsonElement Value);
