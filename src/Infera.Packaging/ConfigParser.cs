using System.Globalization;
using System.Text.Json;

namespace Infera.Packaging;

/// <summary>
/// Walks a parsed config.json and applies the rules of seed 003 §4.1.2 (tables 4-1 to 4-8) and §2.6, collecting
/// every violation. One instance reads one document.
/// </summary>
internal sealed partial class ConfigParser(Diagnostics diagnostics)
{
    private const string ApplicationJson = "application/json";
    private const string MultipartFormData = "multipart/form-data";
    private const string ContentType = "Content-type";

    private static readonly string[] s_rootFields =
    [
        "model_type", "model_algorithm", "runtime", "metrics", "apis", "dependencies", "health", "swr_location",
        CustomEngine.CommandField, CustomEngine.ProtocolField, CustomEngine.PortField, "readiness_health", "startup_health",
        OnnxEngine.DynamicBatchingField, OnnxEngine.FeatureOrderField, OnnxEngine.InputsField, OnnxEngine.OutputsField,
    ];

    private static readonly string[] s_metricFields = ["f1", "recall", "precision", "accuracy"];
    private static readonly string[] s_apiFields = ["url", "method", "request", "response"];
    private static readonly string[] s_bodyFields = [ContentType, "data"];
    private static readonly string[] s_dependencyFields = ["installer", "packages"];
    private static readonly string[] s_packageFields = ["package_name", "package_version", "restraint"];

    private static readonly string[] s_healthFields =
    [
        "check_method", "command", "url", "protocol", "initial_delay_seconds", "timeout_seconds", "period_seconds",
        "failure_threshold",
    ];

    private static readonly string[] s_methods = ["get", "post", "put", "delete", "patch"];
    private static readonly string[] s_restraints = ["EXACT", "ATLEAST", "ATMOST"];
    private static readonly string[] s_protocols = ["http", "https"];
    private static readonly string[] s_contentTypes = [ApplicationJson, MultipartFormData];

    // "Content-Type" and "content-type" are how HTTP spells it; people copy that into config.json.
    private static readonly FieldAlias[] s_bodyAliases =
        [new("content-type", ContentType, Warn: false, StringComparison.OrdinalIgnoreCase)];

    private static readonly FieldAlias[] s_healthAliases = [new("procotol", "protocol", Warn: true)];

    private string? _engine; // canonical model_type, or null when unknown

    private bool IsCustom => _engine == ModelTypes.Image;

    private bool IsMachineLearning => ModelTypes.IsMachineLearning(_engine);

    public ModelConfig Parse(JsonElement root, string normalizedJson)
    {
        var fields = JsonFields.Read(root, JsonPath.Root, s_rootFields, [], diagnostics);
        var modelType = ReadModelType(fields);
        var algorithm = ReadAlgorithm(fields);
        var runtime = ReadRuntime(fields);
        var metrics = fields.TryGet("metrics", out var m) ? ReadMetrics(m) : null;
        var apis = fields.TryGet("apis", out var a) ? ReadApis(a) : [];
        var dependencies = fields.TryGet("dependencies", out var d) ? (IsOnnx ? IgnoreOnnxDependencies(d) : ReadDependencies(d)) : [];
        var health = fields.TryGet("health", out var h) ? ReadHealth(h) : null;
        var readiness = fields.TryGet("readiness_health", out var r) ? ReadHealth(r) : null;
        var startup = fields.TryGet("startup_health", out var st) ? ReadHealth(st) : null;
        var swr = ReadSwrLocation(fields);
        var command = ReadCommand(fields);
        var protocol = ReadContainerProtocol(fields);
        var port = ReadPort(fields);
        var onnx = ReadOnnxFields(fields);

        return new ModelConfig
        {
            ModelType = modelType,
            ModelAlgorithm = algorithm,
            Runtime = runtime,
            Metrics = metrics,
            Apis = apis,
            Dependencies = dependencies,
            Health = health,
            ReadinessHealth = readiness,
            StartupHealth = startup,
            SwrLocation = swr,
            Command = command,
            Protocol = protocol,
            Port = port,
            DynamicBatching = onnx.DynamicBatching,
            FeatureOrder = onnx.FeatureOrder,
            Inputs = onnx.Inputs,
            Outputs = onnx.Outputs,
            NormalizedJson = normalizedJson,
        };
    }

    private string ReadModelType(JsonFields fields)
    {
        var choices = $"{string.Join(", ", ModelTypes.All)} or {ModelTypes.CustomAlias}";
        if (!fields.TryGet("model_type", out var field))
        {
            diagnostics.Error(JsonPath.Property(JsonPath.Root, "model_type"), $"model_type is required and must be one of {choices}.");
            return string.Empty;
        }

        if (!TryString(field, "an engine name", out var written))
        {
            return string.Empty;
        }

        _engine = ModelTypes.Canonicalize(written);
        if (_engine is null)
        {
            diagnostics.Error(field.Path, $"{TextRules.Quote(written)} is not a supported engine; use one of {choices}.");
            return written;
        }

        if (!string.Equals(written, _engine, StringComparison.Ordinal)
            && !string.Equals(written, ModelTypes.CustomAlias, StringComparison.Ordinal))
        {
            diagnostics.Warn(field.Path, $"{TextRules.Quote(written)} was read as \"{_engine}\"; write the engine name exactly.");
        }

        return _engine;
    }

    private string ReadAlgorithm(JsonFields fields)
    {
        if (!fields.TryGet("model_algorithm", out var field))
        {
            diagnostics.Error(
                JsonPath.Property(JsonPath.Root, "model_algorithm"),
                "model_algorithm is required, e.g. \"image_classification\", \"object_detection\" or \"predict_analysis\".");
            return string.Empty;
        }

        if (!TryString(field, "a name", out var algorithm))
        {
            return string.Empty;
        }

        if (!TextRules.IsValidAlgorithm(algorithm))
        {
            diagnostics.Error(
                field.Path,
                $"{TextRules.Quote(algorithm)} must start with a letter, be at most {TextRules.MaxAlgorithmLength} characters and contain no Chinese characters or any of {TextRules.ForbiddenCharactersForHumans}.");
        }

        return algorithm;
    }

    private string? ReadRuntime(JsonFields fields)
    {
        if (!fields.TryGet("runtime", out var field) || !TryString(field, "a runtime name", out var runtime))
        {
            return null;
        }

        if (_engine is null)
        {
            return runtime; // Unknown engine: already an error; nothing to check the runtime against.
        }

        if (IsCustom)
        {
            diagnostics.Warn(field.Path, $"runtime {TextRules.Quote(runtime)} is ignored for custom (Image) models, which bring their own environment.");
            return runtime;
        }

        var allowed = ModelTypes.GetRuntimes(_engine);
        if (allowed.Count == 0)
        {
            return runtime; // MXNet and Caffe have no row in table 2-2.
        }

        var match = allowed.FirstOrDefault(r => string.Equals(r, runtime, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        if (_engine == ModelTypes.MindSpore)
        {
            // Table 2-2 lists only "aarch64", yet the seed's own MindSpore example uses a unified-image name.
            diagnostics.Warn(field.Path, $"runtime {TextRules.Quote(runtime)} is not listed for MindSpore in table 2-2 (aarch64) and is kept as written.");
            return runtime;
        }

        diagnostics.Error(
            field.Path,
            $"{TextRules.Quote(runtime)} is not a runtime of {_engine}; use one of {TextRules.OrList(allowed)}.");
        return runtime;
    }

    private ModelMetrics? ReadMetrics(JsonField field)
    {
        if (!IsObject(field, "an object with f1, recall, precision and accuracy"))
        {
            return null;
        }

        var fields = JsonFields.Read(field.Value, field.Path, s_metricFields, [], diagnostics);
        return new ModelMetrics(
            ReadMetric(fields, "f1"),
            ReadMetric(fields, "recall"),
            ReadMetric(fields, "precision"),
            ReadMetric(fields, "accuracy"));
    }

    private decimal? ReadMetric(JsonFields fields, string name)
    {
        if (!fields.TryGet(name, out var field))
        {
            return null;
        }

        if (field.Value.ValueKind != JsonValueKind.Number)
        {
            diagnostics.Error(field.Path, $"{name} must be a number, not {TextRules.Describe(field.Value)}.");
            return null;
        }

        if (!field.Value.TryGetDecimal(out var value))
        {
            diagnostics.Error(field.Path, $"{name} {field.Value.GetRawText()} is out of the range of a decimal number.");
            return null;
        }

        // Table 4-2: "精确到小数点后17位，超过17位时，取前17位数值" — truncate, do not round.
        return decimal.Round(value, 17, MidpointRounding.ToZero);
    }

    private List<ModelApi> ReadApis(JsonField field)
    {
        var apis = new List<ModelApi>();
        if (!IsArray(field, "an array of api objects"))
        {
            return apis;
        }

        var seen = new Dictionary<(string Url, string Method), string>();
        var previousHasResponse = true;
        var index = -1;
        foreach (var item in field.Value.EnumerateArray())
        {
            index++;
            var path = JsonPath.Index(field.Path, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(path, $"An api must be an object with url, method, request and response, not {TextRules.Describe(item)}.");
                previousHasResponse = true;
                continue;
            }

            var fields = JsonFields.Read(item, path, s_apiFields, [], diagnostics);
            var responseOnly = fields.Contains("response") && !fields.Contains("url") && !fields.Contains("method")
                && !fields.Contains("request");
            if (responseOnly && !previousHasResponse && apis.Count > 0)
            {
                // The ModelArts docs' dependency example splits one api into {url, method, request} and {response}.
                diagnostics.Warn(path, $"This item holds only a response and was merged into {JsonPath.Index(field.Path, index - 1)}, which has none.");
                fields.TryGet("response", out var lateResponse);
                var (responseType, responseSchema) = ReadBody(lateResponse, isRequest: false);
                apis[^1] = apis[^1] with { ResponseContentType = responseType, ResponseSchema = responseSchema };
                previousHasResponse = true;
                continue;
            }

            previousHasResponse = fields.Contains("response");
            var api = ReadApi(fields);
            var key = (api.Url, api.Method);
            if (seen.TryGetValue(key, out var firstPath))
            {
                diagnostics.Error(path, $"url {TextRules.Quote(api.Url)} with method \"{api.Method}\" is already declared by {firstPath}.");
            }
            else
            {
                seen[key] = path;
            }

            apis.Add(api);
        }

        return apis;
    }

    private ModelApi ReadApi(JsonFields fields)
    {
        var url = "/";
        if (fields.TryGet("url", out var urlField) && TryString(urlField, "a path", out var writtenUrl))
        {
            url = writtenUrl;
            if (!url.StartsWith('/'))
            {
                diagnostics.Error(urlField.Path, $"url {TextRules.Quote(url)} must start with \"/\".");
            }
            else if (_engine is not null && !IsCustom && url != "/")
            {
                diagnostics.Error(
                    urlField.Path,
                    $"url {TextRules.Quote(url)} is not allowed for {_engine} models, which expose only \"/\"; only custom (Image) models may declare other paths.");
            }
        }

        var method = "post";
        if (fields.TryGet("method", out var methodField) && TryString(methodField, "an HTTP method", out var writtenMethod))
        {
            method = writtenMethod.Trim().ToLowerInvariant();
            if (!s_methods.Contains(method, StringComparer.Ordinal))
            {
                diagnostics.Error(methodField.Path, $"method {TextRules.Quote(writtenMethod)} is not supported; use {TextRules.OrList(s_methods)}.");
            }
        }

        var (requestType, requestSchema) = fields.TryGet("request", out var request)
            ? ReadBody(request, isRequest: true)
            : (ApplicationJson, null);
        var (responseType, responseSchema) = fields.TryGet("response", out var response)
            ? ReadBody(response, isRequest: false)
            : (ApplicationJson, null);
        return new ModelApi(url, method, requestType, requestSchema, responseType, responseSchema);
    }

    private (string ContentType, JsonElement? Schema) ReadBody(JsonField body, bool isRequest)
    {
        var what = isRequest ? "request" : "response";
        if (!IsObject(body, $"an object with {ContentType} and data"))
        {
            return (ApplicationJson, null);
        }

        var fields = JsonFields.Read(body.Value, body.Path, s_bodyFields, s_bodyAliases, diagnostics);
        var contentType = ApplicationJson;
        if (fields.TryGet(ContentType, out var typeField) && TryString(typeField, "a media type", out var written))
        {
            contentType = ReadContentType(typeField.Path, written, isRequest, what);
        }

        JsonElement? schema = fields.TryGet("data", out var data) ? SchemaReader.Read(data, diagnostics) : null;
        return (contentType, schema);
    }

    private string ReadContentType(string path, string written, bool isRequest, string what)
    {
        var mediaType = written.Split(';', 2)[0].Trim().ToLowerInvariant();
        string contentType;
        if (mediaType == "applicaton/json")
        {
            contentType = ApplicationJson;
            diagnostics.Warn(path, $"{TextRules.Quote(written)} is a known misspelling and was read as \"{ApplicationJson}\".");
        }
        else if (mediaType == "multipart/json")
        {
            // Spec model-service.md §7: seen in real packages. A request that says "multipart" uploads files; a
            // response is always JSON in these runtimes (§5).
            contentType = isRequest ? MultipartFormData : ApplicationJson;
            diagnostics.Warn(path, $"{TextRules.Quote(written)} is not a media type and was read as \"{contentType}\".");
        }
        else if (s_contentTypes.Contains(mediaType, StringComparer.Ordinal))
        {
            contentType = mediaType;
        }
        else if (!isRequest && mediaType == "text/event-stream" && !IsMachineLearning)
        {
            // Server-Sent Events (seed 003 §3.1.4.5): a service answering with a generator streams events.
            return mediaType;
        }
        else if (IsCustom || _engine is null)
        {
            diagnostics.Warn(path, $"{what} {ContentType} {TextRules.Quote(written)} is neither {ApplicationJson} nor {MultipartFormData} and is kept as written.");
            return written.Trim();
        }
        else
        {
            diagnostics.Error(path, $"{what} {ContentType} {TextRules.Quote(written)} is not supported; use {ApplicationJson} or {MultipartFormData}.");
            return written.Trim();
        }

        if (IsMachineLearning && contentType != ApplicationJson)
        {
            diagnostics.Error(
                path,
                $"{what} {ContentType} {TextRules.Quote(written)} is not allowed for machine-learning engine {_engine}, which accepts only {ApplicationJson}.");
        }

        return contentType;
    }

    private List<DependencyGroup> ReadDependencies(JsonField field)
    {
        var groups = new List<DependencyGroup>();
        if (!IsArray(field, "an array of dependency objects"))
        {
            return groups;
        }

        if (IsCustom && field.Value.GetArrayLength() > 0)
        {
            diagnostics.Error(field.Path, ModelEvents.CustomDependenciesNotSupported);
        }

        var index = -1;
        foreach (var item in field.Value.EnumerateArray())
        {
            index++;
            var path = JsonPath.Index(field.Path, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(path, $"A dependency must be an object with installer and packages, not {TextRules.Describe(item)}.");
                continue;
            }

            groups.Add(ReadDependencyGroup(JsonFields.Read(item, path, s_dependencyFields, [], diagnostics), path));
        }

        return groups;
    }

    private DependencyGroup ReadDependencyGroup(JsonFields fields, string path)
    {
        var installer = string.Empty;
        if (!fields.TryGet("installer", out var installerField))
        {
            diagnostics.Error(JsonPath.Property(path, "installer"), "installer is required and must be \"pip\".");
        }
        else if (TryString(installerField, "\"pip\"", out installer))
        {
            if (string.Equals(installer.Trim(), "pip", StringComparison.OrdinalIgnoreCase))
            {
                installer = "pip";
            }
            else
            {
                diagnostics.Error(installerField.Path, $"installer {TextRules.Quote(installer)} is not supported; the only installer is \"pip\".");
            }
        }

        var packages = new List<DependencyPackage>();
        if (!fields.TryGet("packages", out var packagesField))
        {
            diagnostics.Error(JsonPath.Property(path, "packages"), "packages is required and must be an array of package objects.");
        }
        else if (IsArray(packagesField, "an array of package objects"))
        {
            var index = -1;
            foreach (var item in packagesField.Value.EnumerateArray())
            {
                index++;
                var itemPath = JsonPath.Index(packagesField.Path, index);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    diagnostics.Error(itemPath, $"A package must be an object with package_name, package_version and restraint, not {TextRules.Describe(item)}.");
                    continue;
                }

                packages.Add(ReadPackage(JsonFields.Read(item, itemPath, s_packageFields, [], diagnostics), itemPath));
            }
        }

        return new DependencyGroup(installer, packages);
    }

    private DependencyPackage ReadPackage(JsonFields fields, string path)
    {
        var name = string.Empty;
        if (!fields.TryGet("package_name", out var nameField))
        {
            diagnostics.Error(JsonPath.Property(path, "package_name"), "package_name is required.");
        }
        else if (TryString(nameField, "a package name", out name))
        {
            if (name.Trim().Length == 0)
            {
                diagnostics.Error(nameField.Path, "package_name must not be empty.");
            }
            else if (!TextRules.IsValidPackageText(name))
            {
                diagnostics.Error(nameField.Path, $"package_name {TextRules.Quote(name)} must contain no Chinese characters or any of {TextRules.ForbiddenCharactersForHumans}.");
            }
        }

        string? version = null;
        if (fields.TryGet("package_version", out var versionField))
        {
            if (versionField.Value.ValueKind == JsonValueKind.Number)
            {
                version = versionField.Value.GetRawText();
                diagnostics.Warn(versionField.Path, $"package_version {version} is a number and was read as the string \"{version}\".");
            }
            else if (TryString(versionField, "a version string", out var written) && written.Trim().Length > 0)
            {
                version = written.Trim();
                if (!TextRules.IsValidPackageText(version))
                {
                    diagnostics.Error(versionField.Path, $"package_version {TextRules.Quote(version)} must contain no Chinese characters or any of {TextRules.ForbiddenCharactersForHumans}.");
                }
            }
        }

        string? restraint = null;
        var restraintPath = JsonPath.Property(path, "restraint");
        if (fields.TryGet("restraint", out var restraintField)
            && TryString(restraintField, "EXACT, ATLEAST or ATMOST", out var writtenRestraint)
            && writtenRestraint.Trim().Length > 0)
        {
            restraint = writtenRestraint.Trim().ToUpperInvariant();
            if (!s_restraints.Contains(restraint, StringComparer.Ordinal))
            {
                diagnostics.Error(restraintField.Path, $"restraint {TextRules.Quote(writtenRestraint)} is not supported; use {TextRules.OrList(s_restraints)}.");
            }
            else if (version is null)
            {
                // Table 4-7: restraint is filled "当且仅当" (if and only if) package_version is.
                diagnostics.Error(restraintField.Path, $"restraint \"{restraint}\" needs a package_version; add package_version or remove restraint.");
            }
        }
        else if (version is not null)
        {
            diagnostics.Error(restraintPath, $"restraint is required because package_version {TextRules.Quote(version)} is given; use {TextRules.OrList(s_restraints)}.");
        }

        return new DependencyPackage(name, version, restraint);
    }

    private HealthCheck? ReadHealth(JsonField field)
    {
        if (!IsObject(field, "an object with check_method, period_seconds and failure_threshold"))
        {
            return null;
        }

        var fields = JsonFields.Read(field.Value, field.Path, s_healthFields, s_healthAliases, diagnostics);
        var method = string.Empty;
        if (!fields.TryGet("check_method", out var methodField))
        {
            diagnostics.Error(JsonPath.Property(field.Path, "check_method"), "check_method is required and must be HTTP or EXEC.");
        }
        else if (TryString(methodField, "HTTP or EXEC", out var writtenMethod))
        {
            method = writtenMethod.Trim().ToUpperInvariant();
            if (method is not (HealthCheck.Http or HealthCheck.Exec))
            {
                diagnostics.Error(methodField.Path, $"check_method {TextRules.Quote(writtenMethod)} is not supported; use HTTP or EXEC.");
            }
        }

        string? url = null;
        if (fields.TryGet("url", out var urlField) && TryString(urlField, "a path", out var writtenUrl))
        {
            url = writtenUrl;
            if (!url.StartsWith('/'))
            {
                diagnostics.Error(urlField.Path, $"url {TextRules.Quote(url)} must start with \"/\".");
            }
        }
        else if (method == HealthCheck.Http && !fields.TryGet("url", out _))
        {
            diagnostics.Error(JsonPath.Property(field.Path, "url"), "url is required when check_method is HTTP, e.g. \"/health\".");
        }

        string? command = null;
        if (fields.TryGet("command", out var commandField))
        {
            if (TryString(commandField, "a command line", out var writtenCommand))
            {
                command = writtenCommand;
                if (method == HealthCheck.Exec && command.Trim().Length == 0)
                {
                    diagnostics.Error(commandField.Path, "command must not be empty when check_method is EXEC.");
                }
            }
        }
        else if (method == HealthCheck.Exec)
        {
            diagnostics.Error(JsonPath.Property(field.Path, "command"), "command is required when check_method is EXEC.");
        }

        string? protocol = null;
        if (fields.TryGet("protocol", out var protocolField) && TryString(protocolField, "http or https", out var writtenProtocol))
        {
            protocol = writtenProtocol.Trim().ToLowerInvariant();
            if (!s_protocols.Contains(protocol, StringComparer.Ordinal))
            {
                diagnostics.Error(protocolField.Path, $"protocol {TextRules.Quote(writtenProtocol)} is not supported; use http or https.");
            }
        }
        else if (method == HealthCheck.Http)
        {
            protocol = "http"; // Table 4-8: "默认为http".
        }

        var initialDelay = ReadInt(fields, field.Path, "initial_delay_seconds", 0, required: false);
        var timeout = ReadInt(fields, field.Path, "timeout_seconds", 0, required: false);
        var period = ReadInt(fields, field.Path, "period_seconds", 1, required: true);
        var threshold = ReadInt(fields, field.Path, "failure_threshold", 1, required: true);
        return new HealthCheck(method, url, command, protocol, initialDelay, timeout, period ?? 0, threshold ?? 0);
    }

    private int? ReadInt(JsonFields fields, string parentPath, string name, int min, bool required)
    {
        var range = $"{min} to {int.MaxValue}";
        if (!fields.TryGet(name, out var field))
        {
            if (required)
            {
                diagnostics.Error(JsonPath.Property(parentPath, name), $"{name} is required and must be a whole number of seconds from {range}.");
            }

            return null;
        }

        long value;
        var ok = field.Value.ValueKind switch
        {
            JsonValueKind.Number => field.Value.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(field.Value.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value),
            _ => (value = 0) != 0,
        };
        if (!ok)
        {
            diagnostics.Error(field.Path, $"{name} must be a whole number from {range}, not {TextRules.Describe(field.Value)}.");
            return null;
        }

        if (value < min || value > int.MaxValue)
        {
            diagnostics.Error(field.Path, $"{name} {value.ToString(CultureInfo.InvariantCulture)} is out of range; use a whole number from {range}.");
            return null;
        }

        return (int)value;
    }

    private string? ReadSwrLocation(JsonFields fields)
    {
        if (!fields.TryGet("swr_location", out var field))
        {
            return null;
        }

        if (_engine is not null && !IsCustom)
        {
            diagnostics.Error(field.Path, ModelEvents.SwrLocationNotAllowed);
        }

        return TryString(field, "an image reference", out var location) ? location : null;
    }

    // MISSION R-M3 / seed 003 §2.2.3-2.2.4: the custom engine's start command ("启动命令").
    private string? ReadCommand(JsonFields fields)
    {
        if (!fields.TryGet(CustomEngine.CommandField, out var field) || !TryString(field, "a start command", out var command))
        {
            return null;
        }

        if (!IsCustomOrUnknown(field))
        {
            return null;
        }

        if (command.Trim().Length == 0)
        {
            diagnostics.Error(field.Path, "cmd must not be empty; give the command that starts the model's HTTP server, e.g. \"python3 server.py\".");
        }
        else if (CustomEngine.FindForbiddenInCommand(command) is { } forbidden)
        {
            diagnostics.Error(
                field.Path,
                $"cmd {TextRules.Quote(command)} contains {forbidden}; a start command may not contain any of {CustomEngine.ForbiddenCommandCharactersForHumans} (seed 003 §2.2.3). Read the port from the PORT environment variable instead of $PORT.");
        }

        return command;
    }

    // "容器调用接口" (seed 003 table 2-8/2-10): protocol http or https.
    private string? ReadContainerProtocol(JsonFields fields)
    {
        if (!fields.TryGet(CustomEngine.ProtocolField, out var field) || !TryString(field, "http or https", out var written))
        {
            return null;
        }

        if (!IsCustomOrUnknown(field))
        {
            return null;
        }

        var protocol = written.Trim().ToLowerInvariant();
        if (!s_protocols.Contains(protocol, StringComparer.Ordinal))
        {
            diagnostics.Error(field.Path, $"protocol {TextRules.Quote(written)} is not supported; use http or https.");
            return null;
        }

        return protocol;
    }

    // "容器调用接口" (seed 003 table 2-8/2-10): the port, default 8080.
    private int? ReadPort(JsonFields fields)
    {
        if (!fields.TryGet(CustomEngine.PortField, out var field))
        {
            return null;
        }

        if (!IsCustomOrUnknown(field))
        {
            return null;
        }

        long value;
        var ok = field.Value.ValueKind switch
        {
            JsonValueKind.Number => field.Value.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(field.Value.GetString()!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value),
            _ => (value = 0) != 0,
        };
        if (!ok || value < 1 || value > 65535)
        {
            diagnostics.Error(field.Path, $"port must be a whole number from 1 to 65535, not {TextRules.Describe(field.Value)}.");
            return null;
        }

        return (int)value;
    }

    // cmd, protocol and port describe a custom engine's program; other engines run on Infera's runtime.
    private bool IsCustomOrUnknown(JsonField field)
    {
        if (_engine is null || IsCustom)
        {
            return true;
        }

        diagnostics.Warn(field.Path, $"{LastName(field.Path)} is only used by custom (Image) models and is ignored for {_engine}.");
        return false;
    }

    private bool TryString(JsonField field, string expected, out string value)
    {
        if (field.Value.ValueKind == JsonValueKind.String)
        {
            value = field.Value.GetString()!;
            return true;
        }

        diagnostics.Error(field.Path, $"{LastName(field.Path)} must be a string ({expected}), not {TextRules.Describe(field.Value)}.");
        value = string.Empty;
        return false;
    }

    private bool IsObject(JsonField field, string expected)
    {
        if (field.Value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        diagnostics.Error(field.Path, $"{LastName(field.Path)} must be {expected}, not {TextRules.Describe(field.Value)}.");
        return false;
    }

    private bool IsArray(JsonField field, string expected)
    {
        if (field.Value.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        diagnostics.Error(field.Path, $"{LastName(field.Path)} must be {expected}, not {TextRules.Describe(field.Value)}.");
        return false;
    }

    private static string LastName(string path)
    {
        if (path.EndsWith("']", StringComparison.Ordinal))
        {
            var start = path.LastIndexOf("['", StringComparison.Ordinal);
            return path[(start + 2)..^2];
        }

        return path[(path.LastIndexOf('.') + 1)..];
    }
}
