namespace Infera.Core.Errors;

/// <summary>
/// Factory of the errors the API returns, one method per ModelArts code (spec/modelarts-api.md §4)
/// so that codes and statuses stay consistent everywhere.
/// </summary>
public static class Errors
{
    /// <summary>400 ModelArts.0101: a generic invalid argument.</summary>
    public static InferaException InvalidArgument(string message) => new(400, "ModelArts.0101", message);

    /// <summary>400 ModelArts.3036: a required parameter is missing.</summary>
    public static InferaException Missing(string parameter) => new(400, "ModelArts.3036", $"Parameter {parameter} is required.");

    /// <summary>400 ModelArts.3037: parameter <paramref name="parameter"/> has an invalid value; <paramref name="rule"/> says why.</summary>
    public static InferaException InvalidParameter(string parameter, string? value, string rule) =>
        new(400, "ModelArts.3037", $"Parameter {parameter}:{value} is invalid: {rule}");

    /// <summary>400 ModelArts.3017: the model's <c>source_location</c> is invalid or does not exist.</summary>
    public static InferaException InvalidSourceLocation(string location, string reason) =>
        new(400, "ModelArts.3017", $"source_location {location} is invalid: {reason}");

    /// <summary>404 ModelArts.3001: model not found.</summary>
    public static InferaException ModelNotFound(string modelId) => new(404, "ModelArts.3001", $"Model {modelId} does not exist.");

    /// <summary>409 ModelArts.3002: the (name, version) pair is taken.</summary>
    public static InferaException ModelExists(string name, string version) =>
        new(409, "ModelArts.3002", $"Model {name} with version {version} already exists.");

    /// <summary>ModelArts.3009: the model is used by a service (reported as an item of <c>delete_failed_list</c>, spec §2.4).</summary>
    public static InferaException ModelInUse(string modelId, string serviceName) =>
        new(400, "ModelArts.3009", $"Model {modelId} is used by service {serviceName}; delete the service first.");

    /// <summary>404 ModelArts.3502: service not found.</summary>
    public static InferaException ServiceNotFound(string serviceId) => new(404, "ModelArts.3502", $"Service {serviceId} was not found.");

    /// <summary>409 ModelArts.3503: service name taken in the project.</summary>
    public static InferaException ServiceExists(string name) => new(409, "ModelArts.3503", $"Service name {name} already exists.");

    /// <summary>404 ModelArts.3507: a deploy/update config references a missing model.</summary>
    public static InferaException DeployModelNotFound(string modelId) => new(404, "ModelArts.3507", $"Model {modelId} does not exist.");

    /// <summary>400 ModelArts.3515: the model is not published (still publishing, or failed).</summary>
    public static InferaException ModelNotReady(string modelId, string status) =>
        new(400, "ModelArts.3515", $"Model {modelId} is {status}; only a published model can be deployed.");

    /// <summary>400 ModelArts.3516: the same model version appears twice in a service config.</summary>
    public static InferaException DuplicateModelInConfig(string modelId) =>
        new(400, "ModelArts.3516", $"Model {modelId} appears more than once in config.");

    /// <summary>400 ModelArts.3519: the service cannot take this action in its current state.</summary>
    public static InferaException IllegalServiceState(string serviceId, string status, string action) =>
        new(400, "ModelArts.3519", $"Service {serviceId} is {status} and cannot be {action}.");

    /// <summary>400 ModelArts.3520: too many services of this type.</summary>
    public static InferaException ServiceQuota(string inferType, int quota) =>
        new(400, "ModelArts.3520", $"Quota exceeded: at most {quota} {inferType} services per user.");

    /// <summary>400 ModelArts.3589: the model cannot be deployed as this service type.</summary>
    public static InferaException InstallTypeMismatch(string modelId, string inferType) =>
        new(400, "ModelArts.3589", $"Model {modelId} cannot be deployed as a {inferType} service.");

    /// <summary>400 ModelArts.3039: two template inputs share an <c>input_id</c> (spec §2.1).</summary>
    public static InferaException DuplicateTemplateInput(string inputId) =>
        new(400, "ModelArts.3039", $"Template input id {inputId} appears more than once in template_inputs.");

    /// <summary>404 ModelArts.0404 (extension): an object-store bucket or object was not found.</summary>
    public static InferaException ObjectNotFound(string what) => new(404, "ModelArts.0404", $"{what} does not exist.");

    /// <summary>500 ModelArts.0010: internal error.</summary>
    public static InferaException Internal(string message) => new(500, "ModelArts.0010", message);
}
