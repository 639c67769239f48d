using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Infera.Core.Documents;
using Infera.Core.Errors;
using Infera.Core.Objects;
using Infera.Server.Objects;
using Infera.Storage.Stores;

namespace Infera.Server.Batch;

/// <summary>
/// Lists a batch task's inputs and reads each one (R-B1, R-B2): every object under an input folder (recursively,
/// in key order), or the lines of a <c>.manifest</c> object whose <c>source</c> is <c>obs://bucket/key</c>,
/// <c>s3://bucket/key</c> (the caller's project) or an <c>https://</c> URL such as a signed share link. Every input
/// is limited to <see cref="BatchOptions.MaxInputBytes"/>; downloads to <see cref="BatchOptions.DownloadTimeout"/>
/// and the <see cref="UrlGuard"/> rule.
/// </summary>
public sealed class BatchInputs : IDisposable
{
    /// <summary>Suffix of every result object (seed 003 §3.2.3: <c>IMG_1.jpg_result.txt</c>).</summary>
    public const string ResultSuffix = "_result.txt";

    private readonly ObjectStorageService _objects;
    private readonly BatchOptions _options;
    private readonly UrlGuard _guard;
    private readonly HttpClient _http;

    /// <summary>Creates the reader with its own HTTP client (no proxy, guarded connections; redirects are followed by <see cref="ReadAsync"/>, at most <see cref="MaxRedirects"/>).</summary>
    public BatchInputs(ObjectStorageService objects, BatchOptions options)
    {
        _objects = objects;
        _options = options;
        var extra = (Environment.GetEnvironmentVariable("INFERA_BATCH_URL_ALLOW_LIST") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        _guard = new UrlGuard(options.UrlAllowList.Concat(extra));
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectGuardedAsync,
        };
        _http = new HttpClient(handler) { Timeout = options.DownloadTimeout };
    }

    /// <summary>
    /// Lists the inputs of <paramref name="config"/>'s <c>src_path</c> as items numbered from 0. Manifest lines that
    /// are not a JSON object with a string <c>source</c> become items that are already FAILED.
    /// </summary>
    /// <exception cref="InferaException">The input folder or manifest no longer exists.</exception>
    public async Task<List<BatchTaskStore.BatchItem>> ListAsync(string projectId, Core.Services.BatchConfig config, CancellationToken cancellationToken)
    {
        var src = ParseObs(config.SrcPath);
        var items = new List<BatchTaskStore.BatchItem>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (IsManifest(config))
        {
            var bytes = await ReadObjectAsync(projectId, src, long.MaxValue, cancellationToken);
            using var reader = new StringReader(System.Text.Encoding.UTF8.GetString(bytes));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (items.Count >= _options.MaxManifestInputs)
                {
                    throw Errors.InvalidParameter("src_path", config.SrcPath, $"the manifest has more than {_options.MaxManifestInputs} lines.");
                }

                var seq = items.Count;
                var source = SourceOf(line);
                items.Add(source is null
                    ? new BatchTaskStore.BatchItem(seq, line.Trim(), "", BatchTaskStore.Done, BatchResults.Failed, "",
                        "Invalid manifest line: a JSON object with a string \"source\" is expected.")
                    : new BatchTaskStore.BatchItem(seq, source, UniqueName(names, FileNameOf(source), seq), BatchTaskStore.Pending, "", "", ""));
            }

            return items;
        }

        _objects.RequireBucket(projectId, src.Bucket);
        var prefix = src.Key.Length == 0 || src.Key.EndsWith('/') ? src.Key : src.Key + "/";
        string? marker = null;
        do
        {
            var page = _objects.Store.List(src.Bucket, prefix, null, marker, 1000);
            foreach (var o in page.Objects)
            {
                var relative = o.Key[prefix.Length..];
                items.Add(new BatchTaskStore.BatchItem(items.Count, $"obs://{src.Bucket}/{o.Key}", UniqueName(names, relative, items.Count),
                    BatchTaskStore.Pending, "", "", ""));
            }

            marker = page.NextMarker;
        }
        while (marker is not null);
        return items;
    }

    /// <summary>Reads one input's bytes.</summary>
    /// <exception cref="BatchInputException">Missing, refused, failed or larger than the limit; the message is the item's error.</exception>
    public async Task<byte[]> ReadAsync(string projectId, string source, CancellationToken cancellationToken)
    {
        if (ObjectUri.TryParse(source, out var uri))
        {
            try
            {
                return await ReadObjectAsync(projectId, uri, _options.MaxInputBytes, cancellationToken);
            }
            catch (InferaException e)
            {
                throw new BatchInputException($"Download file failed: {e.Message}");
            }
        }

        if (!Uri.TryCreate(source, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new BatchInputException($"Unsupported source {source}: use obs://bucket/key, s3://bucket/key or an https URL.");
        }

        // Redirects are followed here, not by the handler, so that every hop meets the same scheme and address rules.
        for (var hop = 0; ; hop++)
        {
            await CheckUrlAsync(url, cancellationToken);
            try
            {
                using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (IsRedirect(response.StatusCode))
                {
                    url = NextHop(url, response, hop);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new BatchInputException($"Download file failed: {Describe(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                }

                if (response.Content.Headers.ContentLength > _options.MaxInputBytes)
                {
                    throw TooLarge(response.Content.Headers.ContentLength.Value);
                }

                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                return await ReadLimitedAsync(stream, _options.MaxInputBytes, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new BatchInputException(e.InnerException is BatchInputException refused ? refused.Message : $"Download file failed: {Describe(url)}: {e.Message}");
            }
            catch (IOException e)
            {
                throw new BatchInputException($"Download file failed: {Describe(url)}: the connection broke ({e.Message}).");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BatchInputException($"Download file failed: no complete answer within {_options.DownloadTimeout.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Most redirects followed for one input URL.</summary>
    public const int MaxRedirects = 3;

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    // The target of a redirect, checked: present, a valid absolute or relative URL, and within the redirect limit.
    private static Uri NextHop(Uri current, HttpResponseMessage response, int hop)
    {
        if (hop >= MaxRedirects)
        {
            throw new BatchInputException($"Download file failed: {Describe(current)} redirected more than {MaxRedirects} times.");
        }

        var written = response.Headers.NonValidated.TryGetValues("Location", out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrWhiteSpace(written))
        {
            throw new BatchInputException($"Download file failed: {Describe(current)} answered {(int)response.StatusCode} without a Location to follow.");
        }

        if (!Uri.TryCreate(current, written.Trim(), out var next))
        {
            throw new BatchInputException($"Download file failed: {Describe(current)} redirected to \"{Truncate(written)}\", which is not a valid URL.");
        }

        return next;
    }

    // Scheme, allow-list and address rules of one hop (the connection callback checks the connected address again).
    private async Task CheckUrlAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new BatchInputException($"URL refused: a redirect led to a {url.Scheme}: URL ({Truncate(url.OriginalString)}); only https (and http for allow-listed hosts) is followed.");
        }

        await _guard.ResolveAsync(url.IdnHost, cancellationToken);
        if (url.Scheme == Uri.UriSchemeHttp && !_guard.IsHostAllowed(url.IdnHost))
        {
            throw new BatchInputException($"URL refused: {url.Scheme}://{url.Authority} is plain http; use https (http is allowed only for hosts on the server's batch URL allow-list).");
        }
    }

    private static string Describe(Uri url) => $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>True when the input is a manifest (<c>src_type</c> ManifestFile or a <c>.manifest</c> path).</summary>
    public static bool IsManifest(Core.Services.BatchConfig config) =>
        config.SrcType == Core.Services.BatchMappingTypes.ManifestFile || config.SrcPath.EndsWith(".manifest", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses an <c>obs://</c>/<c>s3://</c> path of the service config (validated at deploy).</summary>
    public static ObjectUri ParseObs(string path) =>
        ObjectUri.TryParse(path, out var uri) ? uri : throw BatchErrors.InvalidObsUrl("src_path", path);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<byte[]> ReadObjectAsync(string projectId, ObjectUri uri, long limit, CancellationToken cancellationToken)
    {
        _objects.RequireBucket(projectId, uri.Bucket);
        var head = _objects.Store.Head(uri.Bucket, uri.Key) ?? throw Errors.ObjectNotFound($"Object {uri}");
        if (head.Size > limit)
        {
            throw TooLarge(head.Size);
        }

        await using var stream = _objects.Store.OpenRead(uri.Bucket, uri.Key);
        return await ReadLimitedAsync(stream, limit, cancellationToken);
    }

    private async Task<byte[]> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(buffer.Length + read);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private BatchInputException TooLarge(long size) =>
        new($"The file is larger than {_options.MaxInputBytes / (1024.0 * 1024):0.##} MB ({size} bytes or more); split it or ask the administrator to raise the batch input limit.");

    private async ValueTask<Stream> ConnectGuardedAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await _guard.ResolveAsync(host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            // The address actually connected to must pass the rule too.
            if (socket.RemoteEndPoint is IPEndPoint remote && _guard.Refusal(host, remote.Address) is { } reason)
            {
                throw new BatchInputException("URL refused: " + reason);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The <c>source</c> of a manifest line, or null when the line is not a JSON object with a non-empty string <c>source</c>.</summary>
    internal static string? SourceOf(string line)
    {
        // LenientJson: a repeated key keeps its last value, bad escapes and deep nesting are a problem, never an exception.
        if (LenientJson.Parse(line).Root is not JsonObject obj)
        {
            return null;
        }

        // The seed's own output example spells the key "source " once; accept surrounding spaces.
        foreach (var (name, value) in obj)
        {
            if (name.Trim() == "source" && value is JsonValue text && text.TryGetValue<string>(out var source) && source.Trim().Length > 0)
            {
                return source.Trim();
            }
        }

        return null;
    }

    private static string FileNameOf(string source)
    {
        var path = ObjectUri.TryParse(source, out var uri) ? uri.Key
            : Uri.TryCreate(source, UriKind.Absolute, out var url) ? Uri.UnescapeDataString(url.AbsolutePath)
            : source;
        var name = path.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        return name.Length == 0 || name is "." or ".." ? "input" : name.Replace('\\', '_');
    }

    // Results of inputs sharing a name (two manifest lines ending in 1.jpg) must not overwrite each other.
    private static string UniqueName(HashSet<string> names, string name, int seq)
    {
        var result = name + ResultSuffix;
        if (!names.Add(result))
        {
            result = $"{name}_{seq}{ResultSuffix}";
            names.Add(result);
        }

        return result;
    }
}
