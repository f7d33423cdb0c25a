namespace EdgeNode.Agent.Configuration;

public sealed class DockerOptions
{
    /// <summary>Docker Engine endpoint. Default unix:///var/run/docker.sock.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Directory of image tarballs (docker save) used when an image is missing. Default STATE/image-cache.</summary>
    public string? ImageCacheDir { get; set; }
}
