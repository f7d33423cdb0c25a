using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Images;
using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Commands;

/// <summary>docker load of the cache tarball that holds an image, checked afterwards.</summary>
internal static class ImageLoader
{
    public static async Task<bool> TryLoadFromCacheAsync(CommandContext context, string image, CancellationToken cancellationToken)
    {
        var path = context.Cache.Find(image);
        foreach (var problem in context.Cache.Problems) SupervisorLog.CacheProblem(context.Logger, problem);
        if (path is null) return false;
        await using (var file = File.OpenRead(path))
            await context.Engine.LoadAsync(file, cancellationToken).ConfigureAwait(false);
        var tags = await context.Engine.ListImageTagsAsync(cancellationToken).ConfigureAwait(false);
        if (!tags.Contains(ImageReference.Normalize(image)))
            throw new EngineException($"loading '{path}' did not provide image '{image}'");
        SupervisorLog.ImageLoaded(context.Logger, image, path);
        return true;
    }
}
