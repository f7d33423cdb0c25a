namespace EdgeNode.Agent.Supervision.Engine.Api;

/// <summary>A request body: bytes, or a stream sent with its remaining length when seekable, else chunked.</summary>
internal sealed class RequestBody
{
    private RequestBody(string contentType, byte[]? bytes, Stream? stream)
    {
        ContentType = contentType;
        Bytes = bytes;
        Stream = stream;
    }

    public string ContentType { get; }
    public byte[]? Bytes { get; }
    public Stream? Stream { get; }

    public static RequestBody Json(byte[] utf8) => new("application/json", utf8, null);

    public static RequestBody Tar(Stream tarball) => new("application/x-tar", null, tarball);
}
