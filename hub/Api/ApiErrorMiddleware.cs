using System.Text.Json;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Specs;
using Microsoft.AspNetCore.Http;

namespace EdgeNode.Hub.Api;

/// <summary>Maps exceptions to HTTP statuses, in one place: 404 / 400 / 409 / 403, spec errors with file and line.</summary>
public sealed class ApiErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (FleetException e) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = e.Kind switch
            {
                FleetErrorKind.NotFound => StatusCodes.Status404NotFound,
                FleetErrorKind.Invalid => StatusCodes.Status400BadRequest,
                FleetErrorKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status403Forbidden,
            };
            await context.Response.WriteAsJsonAsync(new ApiError(e.Message));
        }
        catch (SpecException e) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ApiError($"invalid spec: {e.Message}; the previous spec stays in force", e.File, e.Line, e.Column, e.Reason));
        }
        catch (Exception e) when (e is BadHttpRequestException or JsonException && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ApiError("bad request: " + (e.InnerException?.Message ?? e.Message)));
        }
    }
}
