using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using EdgeNode.Hal.Profile;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Gpio;

/// <summary>
/// Opens the GPIO controller for a hardware profile.
/// <para>Driver choice: the profile's chip is resolved to /dev/gpiochipN (by number or label, see
/// <see cref="GpioChipResolver"/>), then System.Device.Gpio's <see cref="LibGpiodDriver"/> (libgpiod v1, i.e.
/// Debian 12's libgpiod.so.2) is created for exactly that chip. libgpiod v2 (<see cref="LibGpiodV2Driver"/>) is not
/// used: its event path is not trim-safe in System.Device.Gpio 4.2.0. We never let GpioController guess (its
/// default on a PC throws). The driver keeps a line requested for as long as the pin is open.</para>
/// <para>When there is no GPIO (no chip, libgpiod missing) one clear warning is logged and null is returned: the
/// agent carries on without LEDs or power-fail input.</para>
/// </summary>
public static partial class GpioAccess
{
    /// <summary>Opens the real controller for <paramref name="profile"/>, or returns null (after one warning) when
    /// the profile has no GPIO lines or the machine has no usable GPIO.</summary>
    public static GpioController? OpenHardware(HardwareProfile profile, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        bool needed = profile.Leds is { Count: > 0 } || profile.PowerFail is not null;
        if (!needed || profile.GpioChip is null) return null;
        if (!GpioChipResolver.TryResolve(profile.GpioChip, out var chip, out string reason))
        {
            Log.NoGpio(logger, profile.Model ?? "?", reason);
            return null;
        }
        GpioDriver driver;
        try
        {
            driver = CreateLibgpiodDriver(chip.Number);
        }
        catch (Exception e) when (e is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException
                                      or IOException or InvalidOperationException or TypeInitializationException)
        {
            Log.NoGpio(logger, profile.Model ?? "?", $"libgpiod could not open {chip.Name} ('{chip.Label}'): {e.Message}");
            return null;
        }
        Log.Opened(logger, chip.Name, chip.Label, chip.Lines, driver.GetType().Name);
        return new GpioController(driver);
    }

    /// <summary>A controller over <paramref name="driver"/> (the simulated driver for --simulate-hardware).</summary>
    public static GpioController OpenSimulated(SimulatedGpioDriver driver) => new(driver);

    private static GpioDriver CreateLibgpiodDriver(int chipNumber)
    {
        // Only libgpiod v1: System.Device.Gpio 4.2.0's LibGpiodV2Driver event path (UnmanagedArray<T> with
        // Marshal.PtrToStructure<T>) produces trim warnings under native AOT, and Debian 12 ships v1 anyway.
        if (NativeLibraryProbe.Exists("libgpiod.so.2")) return new LibGpiodDriver(chipNumber);
        throw new DllNotFoundException("libgpiod.so.2 (libgpiod 1.x, Debian package libgpiod2) is not installed");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 150, Level = LogLevel.Warning,
            Message = "No GPIO for hardware model '{Model}': {Reason}. Status LEDs and the power-fail input are disabled; the agent carries on")]
        public static partial void NoGpio(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "GPIO: {Chip} ('{Label}', {Lines} lines) through {Driver}")]
        public static partial void Opened(ILogger logger, string chip, string label, int lines, string driver);
    }
}
