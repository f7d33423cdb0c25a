namespace EdgeNode.BudgetGuard.Guard;

/// <summary>Command line of the guard.
/// <code>
/// edgenode-budget-guard [--budgets FILE] [--repo DIR] [--only ID,ID] [--asserted-only] [--allow-missing]
///                       [--table FILE] [--readme FILE]
/// </code></summary>
public sealed record GuardOptions(
    string BudgetsPath,
    string RepoRoot,
    IReadOnlySet<string>? Only,
    bool AssertedOnly,
    bool AllowMissing,
    string? TablePath,
    string? ReadmePath)
{
    public const string Usage =
        "usage: edgenode-budget-guard [--budgets FILE] [--repo DIR] [--only ID,ID...] [--asserted-only] [--allow-missing] [--table FILE] [--readme FILE]";

    /// <summary>Parses the arguments; returns null and an error for an unknown or incomplete option.</summary>
    public static GuardOptions? TryParse(IReadOnlyList<string> args, string currentDirectory, out string? error)
    {
        string repo = currentDirectory;
        string? budgets = null;
        HashSet<string>? only = null;
        bool assertedOnly = false, allowMissing = false;
        string? table = null, readme = null;
        error = null;

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? Next()
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                return null;
            }

            switch (arg)
            {
                case "--budgets": budgets = Next(); if (budgets is null) { error = "--budgets needs a file"; return null; } break;
                case "--repo": repo = Next() ?? ""; if (repo.Length == 0) { error = "--repo needs a directory"; return null; } break;
                case "--only":
                    string? ids = Next();
                    if (ids is null) { error = "--only needs a comma-separated list of budget ids"; return null; }
                    only = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    break;
                case "--asserted-only": assertedOnly = true; break;
                case "--allow-missing": allowMissing = true; break;
                case "--table": table = Next(); if (table is null) { error = "--table needs a file"; return null; } break;
                case "--readme": readme = Next(); if (readme is null) { error = "--readme needs a file"; return null; } break;
                default: error = $"unknown option '{arg}'"; return null;
            }
        }

        repo = Path.GetFullPath(repo, currentDirectory);
        budgets = Path.GetFullPath(budgets ?? Path.Combine("benchmarks", "budgets.json"), repo);
        return new GuardOptions(budgets, repo, only, assertedOnly, allowMissing,
            table is null ? null : Path.GetFullPath(table, currentDirectory),
            readme is null ? null : Path.GetFullPath(readme, currentDirectory));
    }
}
