using System.Text.Json;

namespace Infera.Packaging;

/// <summary>
/// The properties of one config.json object, keyed by their canonical names. Unknown names and known
/// misspellings are reported as warnings while reading; a duplicate name keeps the last value, like most JSON
/// readers (including Python's <c>json</c>, which ModelArts uses).
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonField> _fields = new(StringComparer.Ordinal);

    private JsonFields()
    {
    }

    /// <summary>Reads the properties of <paramref name="obj"/> (which must be an object).</summary>
    /// <param name="obj">The JSON object.</param>
    /// <param name="path">The object's JSON path.</param>
    /// <param name="known">The canonical property names of this object (matched case-sensitively).</param>
    /// <param name="aliases">Other spellings mapped to canonical names; <see cref="FieldAlias.Warn"/> says whether to warn.</param>
    /// <param name="diagnostics">Where warnings go.</param>
    public static JsonFields Read(
        JsonElement obj,
        string path,
        IReadOnlyCollection<string> known,
        IReadOnlyList<FieldAlias> aliases,
        Diagnostics diagnostics)
    {
        var fields = new JsonFields();
        foreach (var property in obj.EnumerateObject())
        {
            var name = property.Name;
            var propertyPath = JsonPath.Property(path, name);
            var canonical = known.Contains(name) ? name : null;
            if (canonical is null)
            {
                foreach (var alias in aliases)
                {
                    if (string.Equals(alias.Written, name, alias.Comparison))
                    {
                        canonical = alias.Canonical;
                        if (alias.Warn)
                        {
                            diagnostics.Warn(
                                propertyPath,
                                $"\"{name}\" is a known misspelling of \"{alias.Canonical}\" and was read as \"{alias.Canonical}\".");
                        }

                        break;
                    }
                }
            }

            if (canonical is null)
            {
                diagnostics.Warn(propertyPath, $"Unknown field \"{name}\" is ignored.");
                continue;
            }

            if (fields._fields.ContainsKey(canonical))
            {
                diagnostics.Warn(propertyPath, $"Field \"{canonical}\" appears more than once; the last value is used.");
            }

            fields._fields[canonical] = new JsonField(propertyPath, property.Value);
        }

        return fields;
    }

    /// <summary>Gets a field that is present and not JSON <c>null</c> (null counts as absent).</summary>
    public bool TryGet(string canonical, out JsonField field)
    {
        if (_fields.TryGetValue(canonical, out field) && field.Value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        field = default;
        return false;
    }

    /// <summary>Whether the field is written at all, even as <c>null</c>.</summary>
    public bool Contains(string canonical) => _fields.ContainsKey(canonical);
}
