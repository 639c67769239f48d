namespace Infera.Client.Inference;

/// <summary>
/// An inference call: a JSON body or multipart files, sent to <c>{endpoint}/v1/infers/{service_id}{path}</c>
/// (or to <see cref="AccessAddress"/> when set).
/// </summary>
public sealed record PredictRequest
{
    /// <summary>The service to call.</summary>
    public required string ServiceId { get; init; }

    /// <summary>A full inference URL (the service's <c>access_address</c>) to use instead of the client's endpoint.</summary>
    public Uri? AccessAddress { get; init; }

    /// <summary>Sub-path appended to the service address, e.g. <c>/predict</c>; empty for the root.</summary>
    public string? Path { get; init; }

    /// <summary>A JSON body, sent as <c>application/json</c>. Exclusive with <see cref="Files"/>.</summary>
    public string? Json { get; init; }

    /// <summary>Multipart files: form field name → local file path. Exclusive with <see cref="Json"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Files { get; init; }

    /// <summary>Plain multipart form fields sent along with <see cref="Files"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? FormFields { get; init; }

    /// <summary>
    /// An AppCode of an app bound to the service (spec/auth.md §6.1): sent as <c>X-Apig-AppCode</c> instead of the
    /// client's token or signature. The service must have app authentication switched on.
    /// </summary>
    public string? AppCode { get; init; }

    /// <summary>Hides the AppCode from logs and debugger displays.</summary>
    /// <returns>The service, address and path of the request.</returns>
    public override string ToString() => $"PredictRequest {{ ServiceId = {ServiceId}, AccessAddress = {AccessAddress}, Path = {Path} }}";
}
