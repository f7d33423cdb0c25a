using EdgeNode.BudgetGuard.Budgets;
using EdgeNode.BudgetGuard.Probes;

namespace EdgeNode.Budget.Tests.Budgets;

public sealed class BudgetFileReaderTests
{
    private const string Valid = """
        { "budgets": [ { "id": "a-b", "description": "d", "limit": 1, "unit": "B", "mode": "assert",
          "probe": "file-size", "measure": "m", "command": "c", "parameters": { "path": "x" } } ] }
        """;

    /// <summary>A broken budget file and the words its error must contain.</summary>
    public static readonly TheoryData<string, string> BrokenFiles = new()
    {
        // not JSON at all
        { "{ budgets: ", "is not valid JSON" },
        // no budgets array
        { """{ "limits": [] }""", "must be an object with a \"budgets\" array" },
        // an empty budgets array guards nothing
        { """{ "budgets": [] }""", "has no budgets" },
        // an entry that is not an object
        { """{ "budgets": [ 3 ] }""", "entry 0: must be an object" },
        // id missing
        { Valid.Replace("\"id\": \"a-b\", ", ""), "entry 0: \"id\" is missing" },
        // id with upper case and spaces
        { Valid.Replace("\"a-b\"", "\"A b\""), "id 'A b' must be lower-case letters, digits and dashes" },
        // limit missing
        { Valid.Replace("\"limit\": 1, ", ""), "entry 0 ('a-b'): \"limit\" is missing or not a number" },
        // limit as a string
        { Valid.Replace("\"limit\": 1", "\"limit\": \"1\""), "\"limit\" is missing or not a number" },
        // negative limit
        { Valid.Replace("\"limit\": 1", "\"limit\": -1"), "\"limit\" must be a finite number >= 0, not -1" },
        // unit missing
        { Valid.Replace("\"unit\": \"B\", ", ""), "\"unit\" is missing" },
        // mode neither assert nor report
        { Valid.Replace("\"assert\"", "\"warn\""), "\"mode\" must be \"assert\" or \"report\", not \"warn\"" },
        // a probe nobody implements
        { Valid.Replace("\"file-size\"", "\"crystal-ball\""), "unknown probe 'crystal-ball' (known: " },
        // measure missing: the README needs to say how
        { Valid.Replace("\"measure\": \"m\", ", ""), "\"measure\" is missing" },
        // command missing: the README needs the reproduction command
        { Valid.Replace("\"command\": \"c\", ", ""), "\"command\" is missing" },
        // parameter values must be strings
        { Valid.Replace("\"path\": \"x\"", "\"path\": 5"), "parameter \"path\" must be a string" },
        // a goal above the limit makes no sense
        { Valid.Replace("\"limit\": 1", "\"limit\": 1, \"goal\": 2"), "\"goal\" must be a number between 0 and the limit 1, not 2" },
        // the same id twice
        { Valid.Replace("} ] }", "}, " + Valid[(Valid.IndexOf('[') + 1)..Valid.LastIndexOf(']')] + "] }"), "entry 1 ('a-b'): the id is used twice" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Parse_BrokenFile_ThrowsNamingFileAndReason(string json, string reason)
    {
        var e = Assert.Throws<BudgetFileException>(() => BudgetFileReader.Parse("/x/budgets.json", json, ProbeCatalog.Default.Names));

        Assert.Contains("budget file '/x/budgets.json'", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var file = BudgetFileReader.Parse("b.json", Valid, ProbeCatalog.Default.Names);

        var entry = Assert.Single(file.Entries);
        Assert.Equal(new[] { "a-b", "d", "B", "file-size", "m", "c" }, new[] { entry.Id, entry.Description, entry.Unit, entry.Probe, entry.Measure, entry.Command });
        Assert.Equal(1, entry.Limit);
        Assert.Equal(BudgetMode.Assert, entry.Mode);
        Assert.Equal("x", entry.Parameters["path"]);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingFile()
    {
        var e = Assert.Throws<BudgetFileException>(() => BudgetFileReader.Load("/nonexistent/budgets.json", ProbeCatalog.Default.Names));

        Assert.Contains("budget file '/nonexistent/budgets.json' cannot be read", e.Message);
    }

    [Fact]
    public void Load_RepositoryBudgetFile_IsValidAndEveryEntryHasACommand()
    {
        var file = BudgetFileReader.Load(RepoPaths.Budgets, ProbeCatalog.Default.Names);

        Assert.NotEmpty(file.Entries);
        Assert.All(file.Entries, e => Assert.Contains("bench.sh", e.Command));
    }

    [Fact]
    public void Load_SoakBudgetFile_IsValidAndMeasuresTheAgentsRssDrift()
    {
        var file = BudgetFileReader.Load(RepoPaths.Soak, ProbeCatalog.Default.Names);

        var soak = Assert.Single(file.Entries);
        Assert.Equal("agent-idle-rss", soak.Probe);
        Assert.Equal("MB/h", soak.Unit);
        Assert.Contains("BUDGETS=benchmarks/soak.json ./bench.sh --check", soak.Command);
    }

    [Theory]
    [InlineData(1_000_000.0, 1_000_000.0)]   // +1 MB/h
    [InlineData(0.0, 0.0)]                   // flat
    [InlineData(-360_000.0, -360_000.0)]     // shrinking (a GC after the warm-up)
    public void SoakSlope_LinearSamplesAfterTheWarmUp_IsTheRatePerHour(double bytesPerHour, double expected)
    {
        // 30 minutes sampled every 5 s, with a start-up jump inside the warm-up (first 180 s) that must not count.
        var samples = Enumerable.Range(0, 361)
            .Select(i => (Seconds: i * 5.0, Rss: (long)(15_000_000 + (i * 5.0 < 180 ? -2_000_000 : 0) + bytesPerHour * i * 5.0 / 3600)))
            .ToList();

        var note = AgentIdleRssProbe.SlopeNote(samples, 1800);

        Assert.StartsWith("slope ", note);
        var slope = double.Parse(note.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(slope, expected - 5, expected + 5);
        Assert.Contains("from 180 s to 1800 s", note);
    }

    [Fact]
    public void SoakSlope_TooFewSamplesAfterTheWarmUp_SaysNone()
    {
        var samples = Enumerable.Range(0, 20).Select(i => (Seconds: i * 5.0, Rss: 15_000_000L)).ToList(); // 95 s

        Assert.Equal("slope none", AgentIdleRssProbe.SlopeNote(samples, 95));
    }
}
