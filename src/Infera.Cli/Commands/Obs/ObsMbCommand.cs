using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Obs;

namespace Infera.Cli.Commands.Obs;

/// <summary><c>infera obs mb &lt;bucket&gt;</c>: creates a bucket (succeeds if you already own it).</summary>
internal static class ObsMbCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var bucket = new Argument<string>("bucket") { Description = "Bucket name (or obs://bucket)" };
        var command = new Command("mb", "Make a bucket") { bucket };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var name = BucketName(parseResult.GetValue(bucket)!);
            var client = await session.GetClientAsync(ct);
            await client.CreateBucketAsync(name, ct);
            session.Emit(new { bucket = name, uri = $"obs://{name}/" }, r => Tables.Fields(("bucket", r.bucket), ("uri", r.uri)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Accepts <c>name</c>, <c>obs://name</c> or <c>s3://name/</c>.</summary>
    /// <param name="text">The argument.</param>
    /// <returns>The bucket name.</returns>
    internal static string BucketName(string text)
    {
        if (ObsUri.HasScheme(text))
        {
            var uri = Arguments.ObsUri(text);
            return uri.Key.Length == 0 ? uri.Bucket : throw CliException.Usage($"'{text}' names an object, not a bucket");
        }

        return ObsUri.IsValidBucketName(text) ? text : throw CliException.Usage($"'{text}' is not a valid bucket name");
    }
}
