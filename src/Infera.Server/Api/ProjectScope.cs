using Infera.Core.Errors;
using Infera.Core.Identity;
using Infera.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace Infera.Server.Api;

/// <summary>Checks that the <c>{project_id}</c> of a management URL is the caller's token scope.</summary>
public static class ProjectScope
{
    /// <summary>The caller, after checking the URL project; 403 ModelArts.0210 on mismatch (spec §4).</summary>
    public static CallerIdentity Require(HttpContext context, string projectId)
    {
        var caller = AuthenticationMiddleware.Caller(context);
        if (!string.Equals(caller.ProjectId, projectId, StringComparison.Ordinal))
        {
            throw new InferaException(403, "ModelArts.0210", $"The project_id {projectId} in the URL does not match the token's project.");
        }

        return caller;
    }
}
