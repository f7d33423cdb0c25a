using System.Text.Json;

namespace EdgeNode.Hub.Cli;

/// <summary>Plain aligned tables for the CLI (columns picked from JSON objects).</summary>
public static class TableWriter
{
    public static void Write(TextWriter output, JsonElement rows, params (string Header, string Property)[] columns)
    {
        var items = rows.ValueKind == JsonValueKind.Array ? rows.EnumerateArray().ToList() : [rows];
        var cells = items.Select(item => columns.Select(c => Cell(item, c.Property)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            output.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        }
    }

    public static void WriteFields(TextWriter output, JsonElement obj, params (string Label, string Property)[] fields)
    {
        var width = fields.Max(f => f.Label.Length);
        foreach (var (label, property) in fields)
        {
            output.WriteLine($"{(label + ":").PadRight(width + 1)} {Cell(obj, property)}");
        }
    }

    public static string Cell(JsonElement item, string property)
    {
        var current = item;
        foreach (var part in property.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return "-";
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "-",
            JsonValueKind.String => current.GetString() is { Length: > 0 } s ? s : "-",
            JsonValueKind.Array => current.GetArrayLength() == 0 ? "-" : string.Join(",", current.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.ToString())),
            JsonValueKind.Object => string.Join(",", current.EnumerateObject().Select(p => $"{p.Name}={p.Value}")),
            _ => current.ToString(),
        };
    }
}
