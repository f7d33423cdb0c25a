using System.Formats.Tar;
using System.Text.Json;

namespace EdgeNode.Agent.Supervision.Images;

/// <summary>
/// The local artifact cache the factory image pre-populates. Layout: <c>&lt;dir&gt;/*.tar</c>, each the output of
/// <c>docker save</c> (one or more images). The index (image ref → file) is read from each tarball's
/// <c>manifest.json</c> <c>RepoTags</c>, so any file name works; it is re-read when a file is added or changes.
/// </summary>
public sealed class ImageCache
{
    private readonly string _directory;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTime Modified, long Length, IReadOnlyList<string> Tags)> _files = new(StringComparer.Ordinal);

    public ImageCache(string directory) => _directory = directory;

    public string Directory => _directory;

    /// <summary>The tarball holding <paramref name="image"/>, or null. Unreadable tarballs are skipped (see <see cref="Problems"/>).</summary>
    public string? Find(string image)
    {
        var wanted = ImageReference.Normalize(image);
        foreach (var (path, tags) in Index())
            if (tags.Contains(wanted)) return path;
        return null;
    }

    /// <summary>Tarballs that could not be indexed, with the reason (for logs and reports).</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>Every tarball and the normalized image refs it holds.</summary>
    public IReadOnlyList<(string Path, IReadOnlyList<string> Tags)> Index()
    {
        lock (_gate)
        {
            if (!System.IO.Directory.Exists(_directory)) { _files.Clear(); return []; }
            var problems = new List<string>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*.tar").Order(StringComparer.Ordinal))
            {
                present.Add(path);
                var info = new FileInfo(path);
                if (_files.TryGetValue(path, out var known) && known.Modified == info.LastWriteTimeUtc && known.Length == info.Length) continue;
                try
                {
                    _files[path] = (info.LastWriteTimeUtc, info.Length, ReadRepoTags(path));
                }
                catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException or FormatException)
                {
                    _files.Remove(path);
                    problems.Add($"image cache file '{path}' is unreadable: {e.Message}");
                }
            }
            foreach (var gone in _files.Keys.Where(k => !present.Contains(k)).ToList()) _files.Remove(gone);
            Problems = problems;
            return _files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value.Tags)).ToList();
        }
    }

    /// <summary>The normalized RepoTags of a <c>docker save</c> tarball (from its manifest.json).</summary>
    public static IReadOnlyList<string> ReadRepoTags(string path)
    {
        using var file = File.OpenRead(path);
        using var reader = new TarReader(file);
        while (reader.GetNextEntry() is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (name != "manifest.json" || entry.DataStream is null) continue;
            using var doc = JsonDocument.Parse(entry.DataStream);
            var tags = new List<string>();
            foreach (var image in doc.RootElement.EnumerateArray())
                if (image.TryGetProperty("RepoTags", out var repoTags) && repoTags.ValueKind == JsonValueKind.Array)
                    foreach (var t in repoTags.EnumerateArray())
                        if (t.GetString() is { Length: > 0 } s) tags.Add(ImageReference.Normalize(s));
            return tags;
        }
        throw new InvalidDataException("no manifest.json (not a docker save tarball)");
    }
}
