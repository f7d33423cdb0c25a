namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>An image is neither in the engine, nor pullable, nor in the image cache.</summary>
public sealed class ImageNotFoundException : EngineException
{
    public ImageNotFoundException(string image, string message, Exception? inner = null) : base(message, inner) => Image = image;

    public string Image { get; }
}
