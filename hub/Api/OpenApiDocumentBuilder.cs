using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace EdgeNode.Hub.Api;

/// <summary>
/// Builds the OpenAPI 3.0 document from the live endpoint table, so it always lists every route (issue 8's
/// tenant-isolation test enumerates routes from it).
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    [GeneratedRegex(@"\{\*{0,2}([A-Za-z_]+)(:[^}]*)?\??\}")]
    private static partial Regex ParameterRegex();

    public static JsonObject Build(EndpointDataSource endpoints)
    {
        var paths = new JsonObject();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>().OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var path = ParameterRegex().Replace(raw, "{$1}");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var item = paths[path] as JsonObject ?? [];
            paths[path] = item;
            foreach (var method in methods)
            {
                var secured = path.StartsWith("/api", StringComparison.Ordinal) || path == "/metrics";
                var parameters = new JsonArray();
                foreach (Match m in ParameterRegex().Matches(raw))
                {
                    parameters.Add(new JsonObject
                    {
                        ["name"] = m.Groups[1].Value,
                        ["in"] = "path",
                        ["required"] = true,
                        ["schema"] = new JsonObject { ["type"] = m.Groups[2].Value.Contains("long", StringComparison.Ordinal) ? "integer" : "string" },
                    });
                }

                var responses = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } };
                if (secured)
                {
                    responses["401"] = new JsonObject { ["description"] = "Missing or invalid bearer token" };
                    responses["404"] = new JsonObject { ["description"] = "Not found (or owned by another tenant)" };
                }

                var op = new JsonObject
                {
                    ["summary"] = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? endpoint.DisplayName,
                    ["operationId"] = method.ToLowerInvariant() + Regex.Replace(path, "[^A-Za-z0-9]+", "_").TrimEnd('_'),
                    ["parameters"] = parameters,
                    ["responses"] = responses,
                };
                if (method is "POST" or "PUT" or "PATCH")
                {
                    op["requestBody"] = new JsonObject
                    {
                        ["required"] = false,
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
                    };
                }

                if (secured)
                {
                    op["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
                }

                item[method.ToLowerInvariant()] = op;
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "EdgeNode hub operator API", ["version"] = "1" },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
            },
        };
    }
}
