using Infera.Core.Errors;
using Infera.Core.Objects;
using Infera.Storage.Objects;
using Infera.Storage.Stores;

namespace Infera.Server.Objects;

/// <summary>Project-scoped access to the object store: a bucket of another project looks like a missing one (404).</summary>
public sealed class ObjectStorageService(LocalObjectStore store, BucketStore buckets, TimeProvider time)
{
    /// <summary>The underlying store.</summary>
    public LocalObjectStore Store => store;

    /// <summary>Creates a bucket for the project; idempotent for its owner, 409 when another project has the name.</summary>
    public void CreateBucket(string projectId, string bucket)
    {
        ObjectKeys.ValidateBucket(bucket);
        if (!buckets.TryInsert(bucket, projectId, time.GetUtcNow().ToUnixTimeMilliseconds()) && buckets.Find(bucket)?.ProjectId != projectId)
        {
            throw new InferaException(409, "ModelArts.0409", $"Bucket {bucket} already exists and belongs to another project.");
        }

        store.CreateBucket(bucket);
    }

    /// <summary>Throws 404 unless the bucket exists and belongs to the project.</summary>
    public void RequireBucket(string projectId, string bucket)
    {
        ObjectKeys.ValidateBucket(bucket);
        if (buckets.Find(bucket)?.ProjectId != projectId || !store.BucketExists(bucket))
        {
            throw Errors.ObjectNotFound($"Bucket {bucket}");
        }
    }

    /// <summary>Deletes an empty bucket of the project.</summary>
    public void DeleteBucket(string projectId, string bucket)
    {
        RequireBucket(projectId, bucket);
        store.DeleteBucket(bucket);
        buckets.Delete(bucket);
    }

    /// <summary>
    /// The local folder of an <c>obs://bucket/prefix</c> location owned by the project, for server-side copies.
    /// Throws 400 ModelArts.3017 when the URI is malformed, the bucket is not the project's, or the folder is missing.
    /// </summary>
    public string ResolveFolder(string projectId, string location)
    {
        if (!ObjectUri.TryParse(location, out var uri))
        {
            throw Errors.InvalidSourceLocation(location, "use obs://<bucket>/<folder>/ or s3://<bucket>/<folder>/.");
        }

        try
        {
            RequireBucket(projectId, uri.Bucket);
            var folder = store.LocalFolder(uri.Bucket, uri.Key);
            if (!Directory.Exists(folder))
            {
                throw Errors.InvalidSourceLocation(location, "no folder with objects exists at this location.");
            }

            return folder;
        }
        catch (InferaException e) when (e.ErrorCode != "ModelArts.3017")
        {
            throw Errors.InvalidSourceLocation(location, e.Message);
        }
    }
}
