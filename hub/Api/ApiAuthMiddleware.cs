using EdgeNode.Hub.Fleet;
using Microsoft.AspNetCore.Http;

namespace EdgeNode.Hub.Api;

/// <summary>
/// Bearer-token check for /api/** and /metrics: no or unknown token → 401 (reads and writes alike).
/// The dashboard shell, /healthz and /openapi.json are public. The resolved <see cref="OperatorScope"/> is the
/// only thing handlers get, and the registry applies its tenant check.
/// </summary>
public sealed class ApiAuthMiddleware(RequestDelegate next, OperatorTokens tokens)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments("/metrics", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        var scope = token.Length > 0 ? tokens.Authenticate(token) : null;
        if (scope is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"edgenode-hub\"";
            await context.Response.WriteAsJsonAsync(new ApiError(token.Length == 0
                ? "missing bearer token: send 'Authorization: Bearer <token>'"
                : "invalid or revoked bearer token"));
            return;
        }

        context.Items[typeof(OperatorScope)] = scope;
        await next(context);
    }

    public static OperatorScope Scope(HttpContext context) =>
        context.Items[typeof(OperatorScope)] as OperatorScope ?? throw new InvalidOperationException("no operator scope on an authenticated route");
}
