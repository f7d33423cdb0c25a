namespace EdgeNode.Hal.Profile;

/// <summary>Checks a parsed profile; the first problem becomes a <see cref="HardwareProfileException"/>.</summary>
internal static class HardwareProfileValidator
{
    private static readonly string[] KnownLeds = [HardwareProfile.Green, HardwareProfile.Red, HardwareProfile.Amber];

    public static void Validate(HardwareProfile p, string file)
    {
        if (string.IsNullOrWhiteSpace(p.Model))
            throw new HardwareProfileException(file, "$.model", "is required (the IPC model name)");

        var used = new Dictionary<int, string>();
        bool hasLines = (p.Leds is { Count: > 0 }) || p.PowerFail is not null;
        if (hasLines && string.IsNullOrWhiteSpace(p.GpioChip))
            throw new HardwareProfileException(file, "$.gpioChip", "is required when leds or powerFail are given (\"gpiochipN\", N, or the chip label)");

        if (p.Leds is not null)
        {
            foreach (var (name, line) in p.Leds)
            {
                string key = $"$.leds.{name}";
                if (Array.IndexOf(KnownLeds, name) < 0)
                    throw new HardwareProfileException(file, key, $"unknown LED; expected one of {string.Join(", ", KnownLeds)}");
                CheckLine(file, key, line, used);
            }
            foreach (var required in new[] { HardwareProfile.Green, HardwareProfile.Red })
                if (!p.Leds.ContainsKey(required))
                    throw new HardwareProfileException(file, $"$.leds.{required}", "is required");
        }
        if (p.PowerFail is not null) CheckLine(file, "$.powerFail", p.PowerFail, used);

        if (p.Watchdog is { } w)
        {
            if (string.IsNullOrWhiteSpace(w.Device) || !w.Device.StartsWith('/'))
                throw new HardwareProfileException(file, "$.watchdog.device", $"'{w.Device}' is not an absolute device path");
            if (w.TimeoutSeconds is int t && (t < 1 || t > 3600))
                throw new HardwareProfileException(file, "$.watchdog.timeoutSeconds", $"{t} is out of range 1..3600");
            if (w.AppearTimeoutSeconds is < 0 or > 300)
                throw new HardwareProfileException(file, "$.watchdog.appearTimeoutSeconds", $"{w.AppearTimeoutSeconds} is out of range 0..300");
        }
    }

    private static void CheckLine(string file, string key, GpioLine? line, Dictionary<int, string> used)
    {
        if (line is null) throw new HardwareProfileException(file, key, "is null; expected { \"line\": N }");
        if (line.Line is not int n) throw new HardwareProfileException(file, key + ".line", "is required");
        if (n < 0 || n > 1023) throw new HardwareProfileException(file, key + ".line", $"{n} is out of range 0..1023");
        if (used.TryGetValue(n, out string? other))
            throw new HardwareProfileException(file, key + ".line", $"line {n} is already used by {other}");
        used[n] = key;
    }
}
