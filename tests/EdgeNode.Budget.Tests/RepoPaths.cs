namespace EdgeNode.Budget.Tests;

/// <summary>Locates the repository (the directory holding EdgeNode.sln) from the test's output directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Budgets => Path.Combine(Root, "benchmarks", "budgets.json");

    public static string Soak => Path.Combine(Root, "benchmarks", "soak.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeNode.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeNode.sln not found above {AppContext.BaseDirectory}");
    }
}
