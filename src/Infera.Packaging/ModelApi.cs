using System.Text.Json;

namespace Infera.Packaging;

/// <summary>
/// One item of the <c>apis</c> array of config.json (seed 003 tables 4-3, 4-4 and 4-5). Defaults are applied:
/// url <c>/</c>, method <c>post</c>, content types <c>application/json</c>.
/// </summary>
/// <param name="Url">The request path, starting with <c>/</c>; always <c>/</c> for non-custom engines.</param>
/// <param name="Method">The HTTP method in lower case: get, post, put, delete or patch.</param>
/// <param name="RequestContentType">
/// The request <c>Content-type</c> with known misspellings corrected (<c>applicaton/json</c> →
/// <c>application/json</c>, request <c>multipart/json</c> → <c>multipart/form-data</c>).
/// </param>
/// <param name="RequestSchema">
/// The request <c>data</c> JSON Schema, or null when absent; the misspelled keyword <c>item</c> is renamed to
/// <c>items</c> when the schema has no <c>items</c>. <c>"type": "file"</c> marks a multipart file field.
/// </param>
/// <param name="ResponseContentType">The response <c>Content-type</c>, corrected like the request's.</param>
/// <param name="ResponseSchema">The response <c>data</c> JSON Schema, or null; normalised like the request's.</param>
public sealed record ModelApi(
    string Url,
    string Method,
    string RequestContentType,
    JsonElement? RequestSchema,
    string ResponseContentType,
    JsonElement? ResponseSchema);
