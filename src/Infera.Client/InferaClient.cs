using System.Runtime.CompilerServices;
using Infera.Client.Apps;
using Infera.Client.Iam;
using Infera.Client.Inference;
using Infera.Client.Models;
using Infera.Client.Obs;
using Infera.Client.Services;

namespace Infera.Client;

/// <summary>
/// Client of an Infera server: IAM (tokens, accounts, projects, users, access keys), apps, the object store, models,
/// services and inference.
/// Create one with <see cref="InferaClientBuilder"/>. Every call throws <see cref="InferaApiException"/> when the server
/// answers with an error, <see cref="InferaClientException"/> when it cannot be reached, and
/// <see cref="OperationCanceledException"/> when the caller cancels.
/// </summary>
public abstract class InferaClient : IDisposable
{
    /// <summary>The server address calls are sent to.</summary>
    public abstract Uri Endpoint { get; }

    // ---- IAM ----

    /// <summary>Obtains a project-scoped token with a password (<c>POST /v3/auth/tokens</c>).</summary>
    /// <param name="domain">The account (domain) name owning the user.</param>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="projectName">The project to scope the token to; <see langword="null"/> uses the domain name, the default project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The token, its expiry and the project id.</returns>
    public abstract Task<InferaToken> CreateTokenAsync(string domain, string user, string password, string? projectName, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an account with its first project and administrator (<c>POST /v3/domains</c>); only administrators of
    /// the system account may.
    /// </summary>
    /// <param name="name">The account (domain) name.</param>
    /// <param name="projectName">The first project's name; <see langword="null"/> for the server default <c>default</c>.</param>
    /// <param name="adminName">The administrator's user name; <see langword="null"/> for <c>admin</c>.</param>
    /// <param name="adminPassword">The administrator's password.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account, project and administrator.</returns>
    /// <exception cref="InferaApiException">403 IAM.0003 not a system administrator, 400 IAM.0011 bad name or weak password, 409 IAM.0012 the account exists.</exception>
    public abstract Task<CreatedAccount> CreateAccountAsync(string name, string? projectName, string? adminName, string adminPassword, CancellationToken cancellationToken);

    /// <summary>Lists the accounts the caller may see (<c>GET /v3/domains</c>): all for system administrators, else its own.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accounts.</returns>
    public abstract Task<IReadOnlyList<IamDomain>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Creates a project in the caller's account (<c>POST /v3/projects</c>; account administrators).</summary>
    /// <param name="name">The project name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project.</returns>
    /// <exception cref="InferaApiException">403 IAM.0003, 400 IAM.0011 bad name, 409 IAM.0012 name taken.</exception>
    public abstract Task<IamProject> CreateProjectAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists the projects of the caller's account (<c>GET /v3/projects</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The projects.</returns>
    public abstract Task<IReadOnlyList<IamProject>> ListProjectsAsync(CancellationToken cancellationToken);

    /// <summary>Creates a user in the caller's account (<c>POST /v3/users</c>; account administrators).</summary>
    /// <param name="name">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="isDomainOwner">True to make the user an account administrator.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user.</returns>
    /// <exception cref="InferaApiException">403 IAM.0003, 400 IAM.0011 bad name or weak password, 409 IAM.0012 name taken.</exception>
    public abstract Task<IamUser> CreateUserAsync(string name, string password, bool isDomainOwner, CancellationToken cancellationToken);

    /// <summary>Lists the users of the caller's account (<c>GET /v3/users</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The users.</returns>
    public abstract Task<IReadOnlyList<IamUser>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>Gets a user (<c>GET /v3/users/{user_id}</c>): administrators any user of the account, others themselves.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user.</returns>
    /// <exception cref="InferaApiException">404 IAM.0004 unknown or not visible.</exception>
    public abstract Task<IamUser> GetUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a user (<c>PATCH /v3/users/{user_id}</c>; account administrators): disabling it, or setting a new
    /// password, makes its tokens stop working.
    /// </summary>
    /// <param name="userId">The user id.</param>
    /// <param name="enabled">True enables, false disables, <see langword="null"/> leaves it.</param>
    /// <param name="password">A new password, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user after the change.</returns>
    /// <exception cref="InferaApiException">403 IAM.0003, 404 IAM.0004, 400 IAM.0011 (weak password, disabling oneself).</exception>
    public abstract Task<IamUser> UpdateUserAsync(string userId, bool? enabled, string? password, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a user a member of a project, or removes it (<c>PUT|DELETE /v3/projects/{project_id}/users/{user_id}/roles/member</c>;
    /// account administrators).
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="userId">The user id.</param>
    /// <param name="member">True adds, false removes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership changed.</returns>
    /// <exception cref="InferaApiException">403 IAM.0003, 404 IAM.0004 unknown project or user (or, when removing, no membership).</exception>
    public abstract Task SetProjectMemberAsync(string projectId, string userId, bool member, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an access key (<c>POST /v3.0/OS-CREDENTIAL/credentials</c>). The answer is the only time the SK is shown.
    /// </summary>
    /// <param name="userId">The owner; <see langword="null"/> for the caller (administrators may name any user of the account).</param>
    /// <param name="description">Free text, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key with <see cref="AccessKey.Secret"/> set.</returns>
    /// <exception cref="InferaApiException">404 IAM.0004 unknown user, 400 IAM.0011 quota of keys per user reached.</exception>
    public abstract Task<AccessKey> CreateAccessKeyAsync(string? userId, string? description, CancellationToken cancellationToken);

    /// <summary>Lists a user's access keys, never their secrets (<c>GET /v3.0/OS-CREDENTIAL/credentials[?user_id=]</c>).</summary>
    /// <param name="userId">The owner; <see langword="null"/> for the caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The keys.</returns>
    public abstract Task<IReadOnlyList<AccessKey>> ListAccessKeysAsync(string? userId, CancellationToken cancellationToken);

    /// <summary>Gets one access key, without its secret (<c>GET /v3.0/OS-CREDENTIAL/credentials/{access}</c>).</summary>
    /// <param name="access">The AK.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InferaApiException">404 IAM.0004 unknown or not visible.</exception>
    public abstract Task<AccessKey> GetAccessKeyAsync(string access, CancellationToken cancellationToken);

    /// <summary>Sets an access key <c>active</c> or <c>inactive</c> (<c>PUT /v3.0/OS-CREDENTIAL/credentials/{access}</c>).</summary>
    /// <param name="access">The AK.</param>
    /// <param name="active">True activates, false deactivates (signatures with it are then refused).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key after the change.</returns>
    /// <exception cref="InferaApiException">404 IAM.0004 unknown or not visible.</exception>
    public abstract Task<AccessKey> SetAccessKeyStatusAsync(string access, bool active, CancellationToken cancellationToken);

    /// <summary>Deletes an access key (<c>DELETE /v3.0/OS-CREDENTIAL/credentials/{access}</c>); signatures with it fail at once.</summary>
    /// <param name="access">The AK.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the key is gone.</returns>
    /// <exception cref="InferaApiException">404 IAM.0004 unknown or not visible.</exception>
    public abstract Task DeleteAccessKeyAsync(string access, CancellationToken cancellationToken);

    // ---- Apps (app authentication, spec/auth.md §5, §9) ----

    /// <summary>Creates an app with a fresh AppKey and AppSecret (<c>POST /v1/{project_id}/app-auth/apps</c>).</summary>
    /// <param name="name">3–64 letters, digits or <c>_</c>, starting with a letter; unique in the project.</param>
    /// <param name="remark">Description (at most 200 characters), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The app with its secret.</returns>
    /// <exception cref="InferaApiException">400 bad name or quota reached, 409 name taken.</exception>
    public abstract Task<InferaApp> CreateAppAsync(string name, string? remark, CancellationToken cancellationToken);

    /// <summary>Lists the apps of the project (<c>GET /v1/{project_id}/app-auth/apps</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The apps.</returns>
    public abstract Task<AppList> ListAppsAsync(CancellationToken cancellationToken);

    /// <summary>Gets an app (<c>GET /v1/{project_id}/app-auth/apps/{app_id}</c>).</summary>
    /// <param name="appId">The app id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The app.</returns>
    /// <exception cref="InferaApiException">404 unknown app.</exception>
    public abstract Task<InferaApp> GetAppAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Deletes an app and its service bindings (<c>DELETE /v1/{project_id}/app-auth/apps/{app_id}</c>).</summary>
    /// <param name="appId">The app id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the app is gone.</returns>
    /// <exception cref="InferaApiException">404 unknown app, 403 not the owner.</exception>
    public abstract Task DeleteAppAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Replaces an app's AppSecret (<c>PUT /v1/{project_id}/app-auth/apps/{app_id}/app-secret</c>); the old one stops working.</summary>
    /// <param name="appId">The app id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The app with its new secret.</returns>
    /// <exception cref="InferaApiException">404 unknown app, 403 not the owner.</exception>
    public abstract Task<InferaApp> ResetAppSecretAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Adds an AppCode to an app (<c>POST /v1/{project_id}/app-auth/apps/{app_id}/app-code</c>; at most 5 per app).</summary>
    /// <param name="appId">The app id.</param>
    /// <param name="code">The code to use; <see langword="null"/> lets the server generate one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new code.</returns>
    /// <exception cref="InferaApiException">404 unknown app, 400 bad code or 5 codes already.</exception>
    public abstract Task<AppCode> AddAppCodeAsync(string appId, string? code, CancellationToken cancellationToken);

    /// <summary>Deletes an AppCode (<c>DELETE /v1/{project_id}/app-auth/apps/{app_id}/app-code/{code_id}</c>).</summary>
    /// <param name="appId">The app id.</param>
    /// <param name="codeId">The code's id (not its value).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the code is gone.</returns>
    /// <exception cref="InferaApiException">404 unknown app or code.</exception>
    public abstract Task DeleteAppCodeAsync(string appId, string codeId, CancellationToken cancellationToken);

    /// <summary>
    /// Switches app authentication on for a service and binds apps to it
    /// (<c>POST /v1/{project_id}/services/{service_id}/app-auth-api</c>).
    /// </summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="appIds">The app ids to bind.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's app authentication after the change.</returns>
    /// <exception cref="InferaApiException">404 unknown service or app.</exception>
    public abstract Task<ServiceAppAuthorization> BindAppsAsync(string serviceId, IEnumerable<string> appIds, CancellationToken cancellationToken);

    /// <summary>Gets whether a service has app authentication on and its bound apps (<c>GET …/services/{service_id}/api-auths</c>).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The app authentication of the service.</returns>
    /// <exception cref="InferaApiException">404 unknown service.</exception>
    public abstract Task<ServiceAppAuthorization> GetServiceAppsAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Unbinds an app from a service (<c>DELETE …/services/{service_id}/api-auths/{app_id}</c>).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="appId">The app id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the binding is gone.</returns>
    /// <exception cref="InferaApiException">404 unknown service, or the app is not bound to it.</exception>
    public abstract Task UnbindAppAsync(string serviceId, string appId, CancellationToken cancellationToken);

    // ---- Object store ----

    /// <summary>Creates a bucket; succeeds when the caller's project already owns it.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the bucket exists.</returns>
    public abstract Task CreateBucketAsync(string bucket, CancellationToken cancellationToken);

    /// <summary>Lists the buckets of the caller's project.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The buckets.</returns>
    public abstract Task<IReadOnlyList<ObsBucket>> ListBucketsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes an empty bucket.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the bucket is gone.</returns>
    public abstract Task DeleteBucketAsync(string bucket, CancellationToken cancellationToken);

    /// <summary>Uploads an object, replacing any object with the same key.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="key">The key; may contain <c>/</c>.</param>
    /// <param name="content">The bytes to store, read to the end. The caller keeps ownership of the stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored size and etag.</returns>
    public abstract Task<ObsPutResult> PutObjectAsync(string bucket, string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Downloads an object. The caller disposes the returned stream.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The object's content as a stream read from the network.</returns>
    public abstract Task<Stream> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Reads one page of an object listing.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="query">Prefix, delimiter, marker and page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public abstract Task<ObsObjectList> ListObjectsPageAsync(string bucket, ObsListQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes an object.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the object is gone.</returns>
    public abstract Task DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Lists every object under a prefix, following the pages.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="prefix">Only keys starting with this prefix; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The objects in key order.</returns>
    public virtual async IAsyncEnumerable<ObsObject> ListObjectsAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await ListObjectsPageAsync(bucket, new ObsListQuery { Prefix = prefix, Marker = marker }, cancellationToken);
            foreach (var item in page.Objects)
            {
                yield return item;
            }

            // Guard against a server repeating the same marker, which would loop forever.
            marker = string.IsNullOrEmpty(page.NextMarker) || page.NextMarker == marker ? null : page.NextMarker;
        }
        while (marker is not null);
    }

    /// <summary>Uploads a local file.</summary>
    /// <param name="localPath">The file to upload.</param>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The stored size and etag.</returns>
    public virtual async Task<ObsPutResult> UploadFileAsync(string localPath, string bucket, string key, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return await PutObjectAsync(bucket, key, file, cancellationToken);
    }

    /// <summary>Downloads an object into a local file, creating its folder; the file is replaced only when the download completes.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="key">The key.</param>
    /// <param name="localPath">The file to write.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    public virtual async Task<long> DownloadFileAsync(string bucket, string key, string localPath, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(localPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".infera-part";
        long length;
        try
        {
            await using (var source = await GetObjectAsync(bucket, key, cancellationToken))
            await using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await source.CopyToAsync(target, cancellationToken);
                length = target.Length;
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return length;
    }

    /// <summary>Uploads a folder recursively: <c>dir/a/b.txt</c> becomes <c>{keyPrefix}/a/b.txt</c>.</summary>
    /// <param name="localDirectory">The folder to upload.</param>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="keyPrefix">The key prefix; empty uploads to the bucket root.</param>
    /// <param name="progress">Receives a report after each file, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The files uploaded.</returns>
    public virtual async Task<IReadOnlyList<ObsTransferItem>> UploadDirectoryAsync(
        string localDirectory, string bucket, string keyPrefix, IProgress<ObsTransferProgress>? progress, CancellationToken cancellationToken)
    {
        var items = ObsPaths.MapDirectory(localDirectory, keyPrefix);
        var tracker = new TransferTracker(items, progress);
        await Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                await UploadFileAsync(item.LocalPath, bucket, item.Key, ct);
                tracker.Done(item);
            });
        return items;
    }

    /// <summary>Downloads every object under a prefix into a folder: <c>{prefix}a/b.txt</c> becomes <c>{localDirectory}/a/b.txt</c>.</summary>
    /// <param name="bucket">The bucket name.</param>
    /// <param name="prefix">The prefix; a <c>/</c> is added when missing. Empty downloads the whole bucket.</param>
    /// <param name="localDirectory">The target folder, created when missing.</param>
    /// <param name="progress">Receives a report after each file, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The files downloaded. Keys that would escape the folder are skipped.</returns>
    public virtual async Task<IReadOnlyList<ObsTransferItem>> DownloadPrefixAsync(
        string bucket, string prefix, string localDirectory, IProgress<ObsTransferProgress>? progress, CancellationToken cancellationToken)
    {
        var folderPrefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
        var items = new List<ObsTransferItem>();
        await foreach (var item in ListObjectsAsync(bucket, folderPrefix, cancellationToken))
        {
            var path = ObsPaths.LocalPathFor(localDirectory, folderPrefix, item.Key);
            if (path is not null)
            {
                items.Add(new ObsTransferItem(path, item.Key, item.Size));
            }
        }

        var tracker = new TransferTracker(items, progress);
        await Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                await DownloadFileAsync(bucket, item.Key, item.LocalPath, ct);
                tracker.Done(item);
            });
        return items;
    }

    // ---- Models ----

    /// <summary>Imports a model package (<c>POST /v1/{project_id}/models</c>); the model starts as <c>publishing</c>.</summary>
    /// <param name="request">Name, version, type and source.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new model id.</returns>
    public abstract Task<CreateModelResponse> CreateModelAsync(CreateModelRequest request, CancellationToken cancellationToken);

    /// <summary>Lists models.</summary>
    /// <param name="query">Filters and paging, or <see langword="null"/> for the server defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of models.</returns>
    public abstract Task<ModelList> ListModelsAsync(ModelListQuery? query, CancellationToken cancellationToken);

    /// <summary>Gets a model.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model.</returns>
    public abstract Task<ModelDetail> GetModelAsync(string modelId, CancellationToken cancellationToken);

    /// <summary>Deletes a model, and with <paramref name="cascade"/> every other version of the same name.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="cascade">Also delete the other versions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Which models were deleted and which were not.</returns>
    public abstract Task<DeleteModelResult> DeleteModelAsync(string modelId, bool cascade, CancellationToken cancellationToken);

    /// <summary>Lists the events of a model (import progress and failures).</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="query">Filters and paging, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events.</returns>
    public abstract Task<InferaEventList> ListModelEventsAsync(string modelId, InferaEventQuery? query, CancellationToken cancellationToken);

    /// <summary>Lists every version of a model's name, highest first (<c>GET …/models/{model_id}/versions</c>).</summary>
    /// <param name="modelId">Any version of the model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    /// <exception cref="InferaApiException">404 ModelArts.3001 for an unknown model.</exception>
    public abstract Task<ModelVersionList> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a new version that starts from the settings of <paramref name="modelId"/> (<c>POST …/models/{model_id}/versions</c>,
    /// MISSION R-M5). Fields set in <paramref name="request"/> win; the version defaults to the highest one with its last part raised.
    /// </summary>
    /// <param name="modelId">Any version of the model.</param>
    /// <param name="request">Fields to change (version, source_location, description…), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version's id; it starts as <c>publishing</c>.</returns>
    /// <exception cref="InferaApiException">404 ModelArts.3001 for an unknown model; 409 ModelArts.3002 for a version that exists.</exception>
    public abstract Task<CreateModelResponse> CreateModelVersionAsync(string modelId, CreateModelVersionRequest? request, CancellationToken cancellationToken);

    /// <summary>Lists the model templates (<c>GET …/models/templates</c>, MISSION R-M4).</summary>
    /// <param name="query">Filters and paging, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of templates.</returns>
    public abstract Task<ModelTemplateList> ListModelTemplatesAsync(ModelTemplateQuery? query, CancellationToken cancellationToken);

    // ---- Services ----

    /// <summary>Deploys a service (<c>POST /v1/{project_id}/services</c>); it starts as <c>deploying</c>.</summary>
    /// <param name="request">Name and models.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new service id.</returns>
    public abstract Task<CreateServiceResponse> CreateServiceAsync(CreateServiceRequest request, CancellationToken cancellationToken);

    /// <summary>Lists services.</summary>
    /// <param name="query">Filters and paging, or <see langword="null"/> for the server defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of services.</returns>
    public abstract Task<ServiceList> ListServicesAsync(ServiceListQuery? query, CancellationToken cancellationToken);

    /// <summary>Gets a service.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service.</returns>
    public abstract Task<ServiceDetail> GetServiceAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Updates a service: start or stop it, or change its configuration.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the change.</returns>
    public abstract Task UpdateServiceAsync(string serviceId, UpdateServiceRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes one or more services in one call.</summary>
    /// <param name="serviceIds">The service ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the deletion.</returns>
    public abstract Task DeleteServicesAsync(IEnumerable<string> serviceIds, CancellationToken cancellationToken);

    /// <summary>Lists the events of a service (deployment phases and failures).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="query">Filters and paging, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events.</returns>
    public abstract Task<InferaEventList> ListServiceEventsAsync(string serviceId, InferaEventQuery? query, CancellationToken cancellationToken);

    /// <summary>Restarts a running or concerning service: every instance is replaced, rolling (Infera extension <c>POST …/restart</c>).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the restart.</returns>
    public abstract Task RestartServiceAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Lists the instances of a service (Infera extension <c>GET …/instances</c>).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instances.</returns>
    public abstract Task<ServiceInstanceList> ListServiceInstancesAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Deletes an instance; a new one of the same flavor replaces it.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted the deletion.</returns>
    public abstract Task DeleteServiceInstanceAsync(string serviceId, string instanceId, CancellationToken cancellationToken);

    /// <summary>Lists the deployment flavors (<c>GET /v1/{project_id}/services/specifications</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The flavors, those this node cannot run marked closed with the reason.</returns>
    public abstract Task<ServiceSpecificationList> ListSpecificationsAsync(CancellationToken cancellationToken);

    /// <summary>Gets the configuration update history of a service (<c>GET …/services/{id}/logs</c>), newest first.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records.</returns>
    public abstract Task<ServiceUpdateLogList> ListServiceUpdateLogsAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Searches the stdout/stderr lines of a service's instances (MISSION R-S12; kept 7 days).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="query">Range, instance, search text and paging, or <see langword="null"/> for the last hour.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of lines.</returns>
    /// <exception cref="InferaApiException">ModelArts.3037 for a malformed search or range.</exception>
    public abstract Task<Observability.InstanceLogList> ListInstanceLogsAsync(string serviceId, Observability.InstanceLogQuery? query, CancellationToken cancellationToken);

    /// <summary>Gets the per-minute metrics of a service and its versions (MISSION R-S13; kept 7 days).</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="query">Range and version, or <see langword="null"/> for the last hour.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The minutes with data.</returns>
    public abstract Task<Observability.ServiceMetrics> GetServiceMetricsAsync(string serviceId, Observability.ServiceMetricsQuery? query, CancellationToken cancellationToken);

    /// <summary>Creates an alarm rule on a service or one of its versions.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="request">Metric, comparison, threshold, periods and optional version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="InferaApiException">ModelArts.3036/3037 for missing or invalid fields, 409 for a taken name.</exception>
    public abstract Task<Observability.AlarmRule> CreateAlarmAsync(string serviceId, Observability.CreateAlarmRequest request, CancellationToken cancellationToken);

    /// <summary>Lists the alarm rules of a service with their state.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rules.</returns>
    public abstract Task<Observability.AlarmList> ListAlarmsAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Deletes an alarm rule.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="alarmId">The rule id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the rule is gone.</returns>
    public abstract Task DeleteAlarmAsync(string serviceId, string alarmId, CancellationToken cancellationToken);

    // ---- Inference ----

    /// <summary>
    /// Calls a running service. The model's status and body are returned as they are: a 4xx/5xx from the model
    /// is a result, not an exception. Only transport failures throw.
    /// </summary>
    /// <param name="request">The service and the body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status, content type and body.</returns>
    public abstract Task<PredictResponse> PredictAsync(PredictRequest request, CancellationToken cancellationToken);

    /// <summary>Releases the HTTP resources the client owns.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class TransferTracker(IReadOnlyList<ObsTransferItem> items, IProgress<ObsTransferProgress>? progress)
    {
        private readonly Lock gate = new();
        private readonly long bytesTotal = items.Sum(i => i.Size);
        private int filesDone;
        private long bytesDone;

        public void Done(ObsTransferItem item)
        {
            ObsTransferProgress report;
            lock (gate)
            {
                filesDone++;
                bytesDone += item.Size;
                report = new ObsTransferProgress(filesDone, items.Count, bytesDone, bytesTotal, item.Key);
            }

            progress?.Report(report);
        }
    }
}
