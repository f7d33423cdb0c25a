using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Planning;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Supervision.Commands;

/// <summary>
/// Makes an app's image present. IfNotPresent: the local cache first, then a pull. Always: a pull, then the cache, then
/// the copy already present. Never: the cache only. Throws <see cref="ImageNotFoundException"/> naming app, image and
/// every reason when nothing worked.
/// </summary>
public sealed record EnsureImageCommand(string App, string Image, PullPolicy Pull, bool Present) : ICommand
{
    public string Id => $"image:{App}:{Image}";

    public async Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string? pullError = null;
        if (Pull != PullPolicy.Always && await ImageLoader.TryLoadFromCacheAsync(context, Image, cancellationToken).ConfigureAwait(false)) return;
        if (Pull != PullPolicy.Never)
        {
            try { await context.Engine.PullAsync(Image, cancellationToken).ConfigureAwait(false); return; }
            catch (ImageNotFoundException e) { pullError = e.Message; }
        }
        if (Pull == PullPolicy.Always && await ImageLoader.TryLoadFromCacheAsync(context, Image, cancellationToken).ConfigureAwait(false)) return;
        if (Present) return; // Always: the registry is out of reach, keep the copy we have
        throw new ImageNotFoundException(Image, $"image '{Image}' of app '{App}' is not in the engine, "
            + (pullError is null ? "pulling is disabled (pull policy never)" : pullError)
            + $", and no tarball in the image cache '{context.Cache.Directory}' holds it");
    }

    public string Show() => $"[{Id}] ensure image '{Image}' for app '{App}' (pull {Pull})";
}
