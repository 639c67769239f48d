using System.CommandLine;
using System.Text.Json;
using Infera.Cli.Infrastructure;
using Infera.Client;
using Infera.Client.Inference;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// <c>infera service predict &lt;id | name&gt; --json '&lt;body&gt;' | --file field=path … [--path /sub] [--app-code &lt;code&gt;]</c>:
/// calls the service and prints the model's response body on stdout; exits non-zero when the status is 400 or more.
/// With <c>--app-code</c> the call carries <c>X-Apig-AppCode</c> instead of the profile's token or signature
/// (spec/auth.md §6.1), and a service given by id needs no login at all.
/// </summary>
internal static class ServicePredictCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var json = new Option<string?>("--json") { Description = "JSON request body, or @file to read it from a file" };
        var file = new Option<string[]>("--file", "-F") { Description = "Multipart file FIELD=PATH (repeatable)" };
        var form = new Option<string[]>("--form") { Description = "Multipart text field NAME=VALUE sent with --file (repeatable)" };
        var path = new Option<string?>("--path") { Description = "Sub-path after the service address, e.g. /predict" };
        var appCode = new Option<string?>("--app-code") { Description = "Authenticate with this AppCode of an app bound to the service (X-Apig-AppCode) instead of your login; give the service by id to need no login at all" };
        var command = new Command("predict", "Send an inference request to a running service") { service, json, file, form, path, appCode };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var body = parseResult.GetValue(json);
            var files = Arguments.Pairs("--file", parseResult.GetValue(file));
            var fields = Arguments.Pairs("--form", parseResult.GetValue(form));
            if ((body is null) == (files.Count == 0))
            {
                throw CliException.Usage("give either --json or --file (one or more)");
            }

            if (fields.Count > 0 && files.Count == 0)
            {
                throw CliException.Usage("--form is only sent together with --file");
            }

            if (body is ['@', .. var bodyPath])
            {
                body = await File.ReadAllTextAsync(bodyPath, ct);
            }

            foreach (var (_, local) in files)
            {
                if (!File.Exists(local))
                {
                    throw CliException.NotFound($"file {local} does not exist");
                }
            }

            var code = parseResult.GetValue(appCode);
            var reference = parseResult.GetValue(service)!.Trim();
            string id;
            InferaClient client;
            if (code is not null && Guid.TryParse(reference, out _))
            {
                // An AppCode caller may have no IAM login: only the server address is needed.
                client = await session.GetUnauthenticatedClientAsync(ct);
                id = reference;
            }
            else
            {
                client = await session.GetClientAsync(ct);
                id = await Resolver.ResolveServiceAsync(client, reference, ct);
            }

            var response = await client.PredictAsync(
                new PredictRequest
                {
                    ServiceId = id, Path = parseResult.GetValue(path), Json = body, Files = files.Count == 0 ? null : files, FormFields = fields, AppCode = code,
                },
                ct);

            if (session.IsJson)
            {
                session.Emit(new PredictOutput(response.StatusCode, response.ContentType, BodyAsJson(response)), null);
            }
            else
            {
                // The body goes to stdout as it is (the model's JSON for scripts to pipe on).
                var text = response.GetBodyText();
                context.Stdout.Write(text);
                if (text.Length > 0 && !text.EndsWith('\n'))
                {
                    context.Stdout.WriteLine();
                }
            }

            if (response.StatusCode >= 400)
            {
                context.Error($"the service answered HTTP {response.StatusCode}");
                return ExitCodes.PredictFailed;
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>The body as a JSON value when it parses as JSON, else as a string.</summary>
    private static JsonElement BodyAsJson(PredictResponse response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(response.GetBodyText());
        }
    }

    /// <summary>What <c>predict -o json</c> prints: the status and the body, embedded as JSON when it is JSON.</summary>
    private sealed record PredictOutput(int StatusCode, string? ContentType, JsonElement Body);
}
