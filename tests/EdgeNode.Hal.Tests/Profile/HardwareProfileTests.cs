using System.Text;
using EdgeNode.Hal.Profile;
using EdgeNode.Hal.Tests.Support;

namespace EdgeNode.Hal.Tests.Profile;

public sealed class HardwareProfileTests
{
    private const string Valid = """
        {
          // the qemu test machine
          "model": "qemu-ipc",
          "gpioChip": "gpio-sim.0-node0",
          "leds": {
            "status-green": { "line": 0 },
            "status-red":   { "line": 1, "activeLow": true },
            "status-amber": { "line": 2 },
          },
          "powerFail": { "line": 4, "activeLow": true },
          "watchdog": { "device": "/dev/watchdog", "timeoutSeconds": 90, "magicCloseOnStop": false }
        }
        """;

    [Fact]
    public void Parse_Valid_AllFields()
    {
        var p = HardwareProfile.Parse(Encoding.UTF8.GetBytes(Valid), "qemu-ipc.json");
        Assert.Equal("qemu-ipc", p.Model);
        Assert.Equal("gpio-sim.0-node0", p.GpioChip);
        Assert.Equal(3, p.Leds!.Count);
        Assert.True(p.Leds[HardwareProfile.Red].ActiveLow);
        Assert.Equal(4, p.PowerFail!.Line);
        Assert.Equal(90, p.Watchdog!.TimeoutSeconds);
        Assert.False(p.Watchdog.MagicCloseOnStop);
    }

    [Fact]
    public void Parse_Minimal_NoGpioNoWatchdog()
    {
        var p = HardwareProfile.Parse("""{ "model": "bare" }"""u8, "bare.json");
        Assert.Null(p.Leds);
        Assert.Null(p.Watchdog);
    }

    [Fact]
    public void Parse_EmptyWatchdog_DefaultsApplied()
    {
        var w = HardwareProfile.Parse("""{ "model": "m", "watchdog": {} }"""u8, "m.json").Watchdog!;
        Assert.Equal("/dev/watchdog", w.Device);
        Assert.Equal(60, w.TimeoutSeconds);
        Assert.True(w.MagicCloseOnStop);
    }

    [Fact]
    public void Load_MissingFile_NamesFile()
    {
        var e = Assert.Throws<HardwareProfileException>(() => HardwareProfile.Load("/nonexistent/profile.json"));
        Assert.Equal("/nonexistent/profile.json", e.File);
        Assert.Contains("cannot read", e.Reason);
    }

    [Fact]
    public void Load_ShippedProfiles_AreValid()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "profiles");
        var files = Directory.GetFiles(dir, "*.json");
        Assert.NotEmpty(files);
        foreach (var f in files) Assert.NotNull(HardwareProfile.Load(f).Model);
    }

    // Rows: bad profile → the key the error must name, and a word of the reason.
    public static TheoryData<string, string, string> BadProfiles => new()
    {
        // not JSON at all
        { "{ model: ", "", "invalid" },
        // the model is missing
        { """{ "gpioChip": "gpiochip0" }""", "$.model", "required" },
        // typo in a key: unknown keys are errors, not silently ignored
        { """{ "model": "m", "gpiochip": "gpiochip0" }""", "gpiochip", "" },
        // LEDs without a chip
        { """{ "model": "m", "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 } } }""", "$.gpioChip", "required" },
        // an LED name nobody knows
        { """{ "model": "m", "gpioChip": "0", "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 }, "status-blue": { "line": 2 } } }""", "$.leds.status-blue", "unknown LED" },
        // the red LED is required
        { """{ "model": "m", "gpioChip": "0", "leds": { "status-green": { "line": 0 } } }""", "$.leds.status-red", "required" },
        // a line without its number
        { """{ "model": "m", "gpioChip": "0", "leds": { "status-green": { "activeLow": true }, "status-red": { "line": 1 } } }""", "$.leds.status-green.line", "required" },
        // a negative line
        { """{ "model": "m", "gpioChip": "0", "leds": { "status-green": { "line": -1 }, "status-red": { "line": 1 } } }""", "$.leds.status-green.line", "out of range" },
        // two things on one line
        { """{ "model": "m", "gpioChip": "0", "leds": { "status-green": { "line": 3 }, "status-red": { "line": 1 } }, "powerFail": { "line": 3 } }""", "$.powerFail.line", "already used" },
        // a line number given as a string
        { """{ "model": "m", "gpioChip": "0", "leds": { "status-green": { "line": "0" }, "status-red": { "line": 1 } } }""", "line", "" },
        // a relative watchdog device
        { """{ "model": "m", "watchdog": { "device": "watchdog0" } }""", "$.watchdog.device", "absolute" },
        // a watchdog timeout out of range
        { """{ "model": "m", "watchdog": { "timeoutSeconds": 0 } }""", "$.watchdog.timeoutSeconds", "out of range" },
        { """{ "model": "m", "watchdog": { "appearTimeoutSeconds": 301 } }""", "$.watchdog.appearTimeoutSeconds", "out of range" },
        { """{ "model": "m", "watchdog": { "appearTimeoutSeconds": -1 } }""", "$.watchdog.appearTimeoutSeconds", "out of range" },
        // JSON null
        { "null", "$", "null" },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public void Parse_Bad_ErrorNamesFileKeyReason(string json, string key, string reasonWord)
    {
        var e = Assert.Throws<HardwareProfileException>(() => HardwareProfile.Parse(Encoding.UTF8.GetBytes(json), "model.json"));
        Assert.Equal("model.json", e.File);
        Assert.Contains(key, e.Key);
        Assert.Contains(reasonWord, e.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("hardware profile model.json: ", e.Message);
    }
}
