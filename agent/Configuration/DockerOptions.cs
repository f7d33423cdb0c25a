namespace EdgeNode.Agent.Configuration;

public sealed class DockerOptions
{
    /// <summary>Docker Engine endpoint. Default unix:///var/run/docker.sock.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Directory of image tarballs (docker save) used when an image is missing. Default STATE/image-cache.</summary>
    public string? ImageCacheDir { get; set; }

    /// <summary>
    /// Ownership scope of the apps' containers: label <c>io.edgenode.scope</c> and name prefix. Default "edgenode".
    /// Only two agents sharing one engine (a developer machine, a soak next to a test run) need different scopes.
    /// </summary>
    public string? Scope { get; set; }
}
