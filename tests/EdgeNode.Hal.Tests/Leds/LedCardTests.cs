using EdgeNode.Hal.Leds;
using EdgeNode.Hal.Profile;

namespace EdgeNode.Hal.Tests.Leds;

/// <summary>docs/led-codes.md (the printed field card) must say what <see cref="LedScheme.Default"/> does.</summary>
public sealed class LedCardTests
{
    private static string CardPath()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "docs", "led-codes.md");
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException("docs/led-codes.md not found above " + AppContext.BaseDirectory);
    }

    private static string Words(LedPattern p) => p.Name switch
    {
        "off" => "off",
        "solid" => "solid",
        "slow-blink" => "slow blink",
        "fast-blink" => "fast blink",
        "fast-blink-inverted" => "fast blink (alternating with green)",
        "2-flash-code" => "2 flashes, pause",
        _ => throw new InvalidOperationException($"pattern {p.Name} has no words on the card"),
    };

    public static TheoryData<string, StatusSignal?> Rows => new()
    {
        { "Booting", StatusSignal.Booting },
        { "Awaiting enrollment", StatusSignal.AwaitingEnrollment },
        { "Online", StatusSignal.Online },
        { "Degraded", StatusSignal.Degraded },
        { "Hub unreachable", StatusSignal.HubUnreachable },
        { "Fault", StatusSignal.Fault },
        { "Power failing", StatusSignal.PowerFail },
        { "Identify", null }, // the overlay
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Card_Row_MatchesDefaultScheme(string state, StatusSignal? signal)
    {
        var row = File.ReadAllLines(CardPath()).Single(l => l.StartsWith($"| {state} |", StringComparison.Ordinal));
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        var scheme = LedScheme.Default;
        LedPattern For(string led) => signal is { } s ? scheme.PatternFor(s, led) : scheme.IdentifyPatternFor(led);
        Assert.Equal(Words(For(HardwareProfile.Green)), cells[2]);
        Assert.Equal(Words(For(HardwareProfile.Red)), cells[3]);
        Assert.Equal(Words(For(HardwareProfile.Amber)), cells[4]);
        Assert.False(string.IsNullOrWhiteSpace(cells[6]), $"'{state}' says nothing about what to do");
    }

    [Fact]
    public void Card_CoversEverySignal()
    {
        Assert.Equal(Enum.GetValues<StatusSignal>().Length, Rows.Count(r => r[1] is not null));
    }
}
