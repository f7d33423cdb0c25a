using EdgeNode.Hal.Profile;

namespace EdgeNode.Hal.Leds;

/// <summary>
/// Which pattern each LED shows for each <see cref="StatusSignal"/>, and while identifying. The default is the
/// scheme printed in docs/led-codes.md; keep the two in step (a test checks the card against this table).
/// </summary>
public sealed class LedScheme
{
    private readonly Dictionary<StatusSignal, IReadOnlyDictionary<string, LedPattern>> _map;

    /// <summary>A scheme from an explicit table; LEDs missing from an entry are dark.</summary>
    public LedScheme(IReadOnlyDictionary<StatusSignal, IReadOnlyDictionary<string, LedPattern>> map,
        IReadOnlyDictionary<string, LedPattern> identify)
    {
        _map = new Dictionary<StatusSignal, IReadOnlyDictionary<string, LedPattern>>(map);
        IdentifyPatterns = identify;
    }

    /// <summary>The patterns shown while Identify is active.</summary>
    public IReadOnlyDictionary<string, LedPattern> IdentifyPatterns { get; }

    /// <summary>The pattern of <paramref name="led"/> for <paramref name="signal"/> (Off when unlisted).</summary>
    public LedPattern PatternFor(StatusSignal signal, string led) =>
        _map.TryGetValue(signal, out var leds) && leds.TryGetValue(led, out var p) ? p : LedPattern.Off;

    /// <summary>The pattern of <paramref name="led"/> while identifying.</summary>
    public LedPattern IdentifyPatternFor(string led) => IdentifyPatterns.TryGetValue(led, out var p) ? p : LedPattern.Off;

    /// <summary>
    /// The default scheme (green + red required, amber optional):
    /// <list type="table">
    /// <item>Booting: green fast blink.</item>
    /// <item>AwaitingEnrollment: green slow blink (amber slow blink).</item>
    /// <item>Online: green solid.</item>
    /// <item>Degraded: green solid, red slow blink (amber solid).</item>
    /// <item>HubUnreachable: green solid, red 2-flash code (amber 2-flash code).</item>
    /// <item>Fault: red solid.</item>
    /// <item>PowerFail: red fast blink.</item>
    /// <item>Identify: green and red (and amber) fast blink, red in opposite phase.</item>
    /// </list>
    /// </summary>
    public static LedScheme Default { get; } = new(
        new Dictionary<StatusSignal, IReadOnlyDictionary<string, LedPattern>>
        {
            [StatusSignal.Booting] = Leds((HardwareProfile.Green, LedPattern.FastBlink)),
            [StatusSignal.AwaitingEnrollment] = Leds((HardwareProfile.Green, LedPattern.SlowBlink), (HardwareProfile.Amber, LedPattern.SlowBlink)),
            [StatusSignal.Online] = Leds((HardwareProfile.Green, LedPattern.Solid)),
            [StatusSignal.Degraded] = Leds((HardwareProfile.Green, LedPattern.Solid), (HardwareProfile.Red, LedPattern.SlowBlink), (HardwareProfile.Amber, LedPattern.Solid)),
            [StatusSignal.HubUnreachable] = Leds((HardwareProfile.Green, LedPattern.Solid), (HardwareProfile.Red, LedPattern.BlinkCode(2)), (HardwareProfile.Amber, LedPattern.BlinkCode(2))),
            [StatusSignal.Fault] = Leds((HardwareProfile.Red, LedPattern.Solid)),
            [StatusSignal.PowerFail] = Leds((HardwareProfile.Red, LedPattern.FastBlink)),
        },
        Leds((HardwareProfile.Green, LedPattern.FastBlink), (HardwareProfile.Red, LedPattern.FastBlinkInverted), (HardwareProfile.Amber, LedPattern.FastBlink)));

    private static IReadOnlyDictionary<string, LedPattern> Leds(params (string Led, LedPattern Pattern)[] entries)
    {
        var d = new Dictionary<string, LedPattern>();
        foreach (var (led, pattern) in entries) d[led] = pattern;
        return d;
    }
}
