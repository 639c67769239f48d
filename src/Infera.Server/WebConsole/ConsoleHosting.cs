using Infera.Gateway.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Infera.Server.WebConsole;

/// <summary>
/// Serves the web console (the React SPA under <c>console/</c>, built by the normal <c>dotnet build</c> and embedded in
/// this assembly) at <c>/</c>, on the same origin as the API. Hashed assets (<c>/assets/*</c>) are immutable for a
/// year; <c>index.html</c> is <c>no-cache</c> so a new build is picked up at the next load. Any other path without a
/// file extension is a client route and gets <c>index.html</c>, except under the API prefixes (<c>/v1</c>, <c>/v3</c>,
/// <c>/v3.0</c>, <c>/openapi</c>, <c>/metrics</c>, <c>/health</c>), which keep answering 404 with the APIG error body.
/// </summary>
public static class ConsoleHosting
{
    /// <summary>Manifest name prefix of the embedded console files (see <c>ConsoleAssets.targets</c>).</summary>
    public const string ResourcePrefix = "Infera.Server.WebConsole.wwwroot";

    private static readonly string[] ApiPrefixes = ["/v1", "/v3", "/v3.0", "/openapi", "/metrics", "/health"];

    /// <summary>
    /// Content Security Policy of the console page: everything from this origin; inline styles because the component
    /// library injects its CSS at run time; images also from <c>data:</c>/<c>blob:</c> (prediction previews).
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>The embedded console files; empty when the assembly was built with <c>InferaSkipConsole=true</c>.</summary>
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(ConsoleHosting).Assembly, ResourcePrefix);

    /// <summary>Adds the static files of the console and the SPA fallback. Call after every API route is mapped.</summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = static context => SetCacheHeaders(context.Context, context.File.Name, context.Context.Request.Path),
        });
        // Paths without an extension are client routes (or unknown API paths, told apart in the handler); API paths
        // with one (/openapi/v1.json before it exists, /v1/x.json) need their own fallbacks to answer the API's 404.
        app.MapFallback(ServeClientRouteAsync);
        foreach (var prefix in ApiPrefixes)
        {
            app.MapFallback(prefix + "/{**path}", ServeClientRouteAsync);
        }

        return app;
    }

    /// <summary>True for paths the API owns: an unknown one there is an API 404, never the console page.</summary>
    /// <param name="path">Request path.</param>
    public static bool IsApiPath(PathString path) =>
        ApiPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static async Task ServeClientRouteAsync(HttpContext context)
    {
        var request = context.Request;
        if (IsApiPath(request.Path) || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            await ApigError.WriteAsync(context, StatusCodes.Status404NotFound, "APIG.0101",
                "The API does not exist or has not been published in the environment.");
            return;
        }

        var index = Files.GetFileInfo("index.html");
        if (!index.Exists)
        {
            await ApigError.WriteAsync(context, StatusCodes.Status404NotFound, "APIG.0101",
                "The web console is not part of this build (built with InferaSkipConsole=true); the API is at /v1 and /v3.");
            return;
        }

        SetCacheHeaders(context, index.Name, "/index.html");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = index.Length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        await using var stream = index.CreateReadStream();
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static void SetCacheHeaders(HttpContext context, string fileName, PathString path)
    {
        var headers = context.Response.Headers;
        // Vite names every file under /assets after its content hash: a changed file is a new URL.
        headers.CacheControl = path.StartsWithSegments("/assets", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (fileName.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers[HeaderNames.XFrameOptions] = "DENY";
            headers["Referrer-Policy"] = "same-origin";
        }
    }
}
