using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Infera.Core.Documents;
using Infera.Core.Errors;
using Infera.Gateway.Routing.Rules;
using Infera.Packaging;
using Infera.Server.Api;
using Infera.Server.Batch;
using Infera.Server.Services;
using Infera.Storage.Logs;
using Microsoft.AspNetCore.Http;

namespace Infera.Server.Tests.Parsing;

/// <summary>
/// Issue #20 "no catch-all for user input": every parser of a user-supplied document is fed random and mutated
/// documents (FsCheck); each either reads the document or reports a precise problem of its own kind — no other
/// exception escapes, so nothing can reach the 500 "Internal error" of the error middleware.
/// </summary>
public sealed class UserInputPropertyTests
{
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(400);

    private static void Check(Gen<string> documents, Action<string> parse) =>
        FsCheck.Check.One(Checks, Prop.ForAll(documents.ToArbitrary(), text =>
        {
            parse(text);
            return true;
        }));

    [Fact]
    public void LenientJson_AnyText_ReadsOrReportsAProblemAndTheTreeItGivesSerializesAndParsesAgain()
    {
        Check(UserDocuments.Text([.. UserDocuments.Configs, .. UserDocuments.Bodies]), text =>
        {
            var result = LenientJson.Parse(text);
            if (result.Problem is null)
            {
                // Unique keys, valid strings, bounded depth: System.Text.Json takes it without complaint.
                using var document = JsonDocument.Parse(result.Root?.ToJsonString() ?? "null");
                Assert.NotNull(JsonNode.Parse(result.Root?.ToJsonString() ?? "null", documentOptions: new JsonDocumentOptions { MaxDepth = 64 })?.ToJsonString() ?? "null");
            }
            else
            {
                Assert.StartsWith("The document ", result.Problem.Message, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public void ModelConfigReader_AnyConfigText_NeverThrows()
    {
        Check(UserDocuments.Text(UserDocuments.Configs), text =>
        {
            var result = ModelConfigReader.Read(text);
            Assert.True(result.Config is not null || result.Errors.Count > 0);
        });
    }

    [Fact]
    public void ModelConfigReader_AnyConfigBytes_NeverThrows()
    {
        FsCheck.Check.One(Checks, Prop.ForAll(UserDocuments.Bytes(UserDocuments.Configs).ToArbitrary(), bytes =>
        {
            var result = ModelConfigReader.Read(bytes);
            return result.Config is not null || result.Errors.Count > 0;
        }));
    }

    [Fact]
    public void ApiBodies_AnyBody_BindsOrAnswers4xx()
    {
        Check(UserDocuments.Text(UserDocuments.Bodies), text =>
        {
            foreach (var read in (Func<HttpRequest, Task>[])
                [
                    r => ApiJson.ReadBodyAsync<CreateServiceRequest>(r, CancellationToken.None),
                    r => ApiJson.ReadBodyAsync<UpdateServiceRequest>(r, CancellationToken.None),
                    r => ApiJson.ReadBodyAsync<Models.CreateModelRequest>(r, CancellationToken.None),
                    r => ApiJson.ReadOptionalObjectAsync(r, CancellationToken.None),
                ])
            {
                var context = new DefaultHttpContext();
                var bytes = Encoding.UTF8.GetBytes(text);
                context.Request.Body = new MemoryStream(bytes);
                context.Request.ContentLength = bytes.Length;
                try
                {
                    read(context.Request).GetAwaiter().GetResult();
                }
                catch (InferaException e)
                {
                    Assert.InRange(e.HttpStatus, 400, 499);
                }
            }
        });
    }

    [Fact]
    public void AlarmRequest_AnyBody_ValidatesOrAnswers4xx()
    {
        var folder = Directory.CreateTempSubdirectory("infera-alarm-props-").FullName;
        var models = new Storage.Stores.ModelStore(new Storage.Sqlite.InferaDatabase(Path.Combine(folder, "infera.db")));
        var service = new Core.Services.ServiceRecord { Id = "s", ProjectId = "p", DomainId = "d", OwnerId = "o", Name = "svc", Status = "running", DesiredState = "running", Config = [] };
        Check(UserDocuments.Text(UserDocuments.Bodies), text =>
        {
            if (LenientJson.Parse(text).Root is not JsonObject body)
            {
                return;
            }

            try
            {
                Observability.AlarmRequest.Validate(body, service, models, "0123456789abcdef", 0);
            }
            catch (InferaException e)
            {
                Assert.InRange(e.HttpStatus, 400, 499);
            }
        });
    }

    [Fact]
    public void RoutingRules_AnyCondition_ParsesOrThrowsRuleSyntaxException()
    {
        var conditions = new[]
        {
            "#HEADER_tenant == 'acme'", "#QUERY_a != 'b' && #HEADER_x.matches('^v[0-9]+$')", "#HEADER_uid.hashCode() % 100 < 20",
            "!(#HEADER_a == 'b') || #COOKIE_c.startsWith('x')", "#HEADER_a.toLowerCase().contains('q') and #HEADER_b > '3'",
        };
        Check(UserDocuments.Text(conditions), text =>
        {
            try
            {
                RuleCondition.Parse(text);
            }
            catch (RuleSyntaxException)
            {
            }
        });
    }

    [Fact]
    public void LogQuery_AnyQuery_ParsesOrThrowsLogQuerySyntaxException()
    {
        var queries = new[] { "erro* && \"model loaded\"", "a || b && !c", "(warn or error) not debug", "\"x y\" && z*", "" };
        Check(UserDocuments.Text(queries), text =>
        {
            try
            {
                LogQuery.Parse(text).Matches("error: model loaded in 3 s");
            }
            catch (LogQuerySyntaxException)
            {
            }
        });
    }

    [Fact]
    public void BatchInputs_AnyManifestLineCsvFileAndRow_NeverThrow()
    {
        var lines = new[] { """{"source":"obs://a/b.png"}""", """{"source ":"https://example.com/x.jpg","k":1}""", "1,2,3\n4,\"5,6\",7\r\n" };
        var rule = (JsonObject)JsonNode.Parse("""{"type":"object","properties":{"x":{"type":"number","index":0},"y":{"type":"array","items":[{"type":"string","index":1}]}}}""")!;
        Check(UserDocuments.Text(lines), text =>
        {
            _ = BatchInputs.SourceOf(text);
            foreach (var row in CsvRows.Parse(text))
            {
                try
                {
                    BatchMapping.Build(rule, row);
                }
                catch (FormatException)
                {
                    // A cell that does not fit its schema type: that row's FAILED line.
                }
            }
        });
    }
}
