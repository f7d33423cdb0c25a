using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeNode.BudgetGuard.Budgets;

/// <summary>
/// Reads <c>benchmarks/budgets.json</c>. Every problem is reported as a <see cref="BudgetFileException"/> that names
/// the file, the entry (by index and id) and the reason, so a broken budget never turns into a silent pass.
/// </summary>
public static partial class BudgetFileReader
{
    public static BudgetFile Load(string path, IReadOnlySet<string> knownProbes)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BudgetFileException($"budget file '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(path, text, knownProbes);
    }

    public static BudgetFile Parse(string path, string json, IReadOnlySet<string> knownProbes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BudgetFileException($"budget file '{path}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("budgets", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new BudgetFileException($"budget file '{path}' must be an object with a \"budgets\" array");
            }

            var entries = new List<BudgetEntry>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var entry = ReadEntry(path, index, item, knownProbes);
                if (!ids.Add(entry.Id))
                {
                    throw new BudgetFileException($"budget file '{path}', entry {index} ('{entry.Id}'): the id is used twice");
                }

                entries.Add(entry);
                index++;
            }

            if (entries.Count == 0)
            {
                throw new BudgetFileException($"budget file '{path}' has no budgets");
            }

            return new BudgetFile(path, entries);
        }
    }

    private static BudgetEntry ReadEntry(string path, int index, JsonElement item, IReadOnlySet<string> knownProbes)
    {
        string where = $"budget file '{path}', entry {index}";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new BudgetFileException($"{where}: must be an object");
        }

        string id = RequiredString(item, "id", where);
        if (!IdPattern().IsMatch(id))
        {
            throw new BudgetFileException($"{where}: id '{id}' must be lower-case letters, digits and dashes");
        }

        where = $"budget file '{path}', entry {index} ('{id}')";
        string description = RequiredString(item, "description", where);
        string unit = RequiredString(item, "unit", where);
        string probe = RequiredString(item, "probe", where);
        string measure = RequiredString(item, "measure", where);
        string command = RequiredString(item, "command", where);

        if (!item.TryGetProperty("limit", out var limitElement) || limitElement.ValueKind != JsonValueKind.Number)
        {
            throw new BudgetFileException($"{where}: \"limit\" is missing or not a number");
        }

        double limit = limitElement.GetDouble();
        if (limit < 0 || !double.IsFinite(limit))
        {
            throw new BudgetFileException($"{where}: \"limit\" must be a finite number >= 0, not {limitElement.GetRawText()}");
        }

        double? goal = null;
        if (item.TryGetProperty("goal", out var goalElement))
        {
            if (goalElement.ValueKind != JsonValueKind.Number || goalElement.GetDouble() < 0 || goalElement.GetDouble() > limit)
            {
                throw new BudgetFileException($"{where}: \"goal\" must be a number between 0 and the limit {limitElement.GetRawText()}, not {goalElement.GetRawText()}");
            }

            goal = goalElement.GetDouble();
        }

        string modeText = RequiredString(item, "mode", where);
        BudgetMode mode = modeText switch
        {
            "assert" => BudgetMode.Assert,
            "report" => BudgetMode.Report,
            _ => throw new BudgetFileException($"{where}: \"mode\" must be \"assert\" or \"report\", not \"{modeText}\""),
        };

        if (!knownProbes.Contains(probe))
        {
            throw new BudgetFileException($"{where}: unknown probe '{probe}' (known: {string.Join(", ", knownProbes.Order(StringComparer.Ordinal))})");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("parameters", out var p))
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw new BudgetFileException($"{where}: \"parameters\" must be an object of strings");
            }

            foreach (var property in p.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new BudgetFileException($"{where}: parameter \"{property.Name}\" must be a string");
                }

                parameters[property.Name] = property.Value.GetString()!;
            }
        }

        return new BudgetEntry(id, description, limit, unit, mode, probe, measure, command, parameters, goal);
    }

    private static string RequiredString(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new BudgetFileException($"{where}: \"{name}\" is missing or not a non-empty string");
        }

        return value.GetString()!;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
