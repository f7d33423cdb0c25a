using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>
/// One qemu test unit booting the factory image: TCG (KVM is unusable on these hosts), i6300esb watchdog
/// with <c>-action watchdog=reset</c>, virtio disk with <c>cache=none</c> (a pulled plug loses what the
/// guest did not flush), user networking (the guest reaches the host's 127.0.0.1 as 10.0.2.2), the
/// serial console to a file per power-on, and the e2e control channel on a virtio-serial port.
/// The disk is a qcow2 copy-on-write overlay on the factory image, so every machine starts pristine
/// and the factory image is never written. Power-on/pull-the-plug can repeat on the same disk.
/// </summary>
public sealed partial class QemuMachine : IAsyncDisposable
{
    private static readonly List<QemuMachine> LiveMachines = [];
    private static readonly List<string> CreatedDirectories = [];
    private readonly FactoryImage _image;
    private readonly QemuMachineOptions _options;
    private readonly HashSet<string> _seenBootIds = [];
    private Process? _qemu;
    private Stopwatch _sincePowerOn = new();
    private int _powerOns;
    private int _boots;

    private QemuMachine(FactoryImage image, string name, string directory, QemuMachineOptions options)
    {
        _image = image;
        _options = options;
        Name = name;
        Directory = directory;
        DiskPath = Path.Combine(directory, "disk.qcow2");
        ControlSocketPath = Path.Combine(directory, "ctl.sock");
        Control = new GuestControl(ControlSocketPath);
    }

    /// <summary>Machines created and not yet disposed (for failure diagnostics).</summary>
    public static IReadOnlyList<QemuMachine> Live
    {
        get
        {
            lock (LiveMachines)
            {
                return [.. LiveMachines];
            }
        }
    }

    /// <summary>The directories of every machine this test process created.</summary>
    public static IReadOnlyList<string> Created
    {
        get
        {
            lock (LiveMachines)
            {
                return [.. CreatedDirectories];
            }
        }
    }

    public string Name { get; }
    public string Directory { get; }
    public string DiskPath { get; }
    public string ControlSocketPath { get; }
    public GuestControl Control { get; }
    /// <summary>The serial console of the current (last) power-on.</summary>
    public string SerialLogPath => Path.Combine(Directory, $"serial-{_powerOns}.log");
    public bool IsRunning => _qemu is { HasExited: false };
    /// <summary>Host time since the current power-on (qemu start).</summary>
    public TimeSpan SincePowerOn => _sincePowerOn.Elapsed;

    /// <summary>Creates a unit with a fresh disk: a copy-on-write overlay on the factory image.</summary>
    public static async Task<QemuMachine> CreateAsync(FactoryImage image, string name, QemuMachineOptions? options = null)
    {
        var directory = Path.Combine(image.ArtifactsDirectory, $"{DateTime.UtcNow:HHmmss}-{name}-{Guid.NewGuid().ToString("N")[..6]}");
        System.IO.Directory.CreateDirectory(directory);
        var machine = new QemuMachine(image, name, directory, options ?? new QemuMachineOptions());
        lock (LiveMachines)
        {
            LiveMachines.Add(machine);
            CreatedDirectories.Add(directory);
        }

        var result = await ProcessRunner.RunAsync("qemu-img",
            ["create", "-q", "-f", "qcow2", "-b", image.DiskPath, "-F", "raw", machine.DiskPath], TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img create of the overlay '{machine.DiskPath}' failed: {result.Output}");
        }

        return machine;
    }

    /// <summary>Starts qemu on the machine's disk (power on). The serial console goes to a new log file.</summary>
    public void PowerOn()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"machine {Name} is already running (qemu pid {_qemu!.Id})");
        }

        _powerOns++;
        File.Delete(ControlSocketPath);
        Control.Disconnect();
        var psi = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in BuildArguments())
        {
            psi.ArgumentList.Add(arg);
        }

        var stderrPath = Path.Combine(Directory, $"qemu-{_powerOns}.stderr");
        _sincePowerOn = Stopwatch.StartNew();
        _qemu = Process.Start(psi) ?? throw new InvalidOperationException("qemu-system-x86_64 did not start");
        var qemu = _qemu;
        _ = Task.Run(async () =>
        {
            var err = await qemu.StandardError.ReadToEndAsync();
            await File.WriteAllTextAsync(stderrPath, err);
        });
        _ = Task.Run(() => qemu.StandardOutput.ReadToEndAsync());
    }

    /// <summary>Pulls the plug: SIGKILL to qemu, no shutdown, unflushed guest writes are lost.</summary>
    public async Task PullThePlugAsync()
    {
        Control.Disconnect();
        if (_qemu is { HasExited: false } qemu)
        {
            qemu.Kill(); // SIGKILL
            await qemu.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Waits for the next boot (one whose boot id this machine has not seen yet) to bring up the control
    /// channel, polling the serial console until the deadline.
    /// </summary>
    public async Task<BootInfo> WaitForBootAsync(TimeSpan timeout)
    {
        var match = await WaitForConsoleAsync(CtlReadyRegex(), m => !_seenBootIds.Contains(m.Groups[1].Value), timeout, "the e2e control channel of a new boot");
        _seenBootIds.Add(match.Match.Groups[1].Value);
        _boots++;
        return new BootInfo(match.Match.Groups[1].Value, _boots, match.Elapsed);
    }

    /// <summary>
    /// Polls the current serial log until a line matches (and <paramref name="accept"/> agrees), qemu exits,
    /// or the deadline passes. Returns the match and the host time since power-on when it was seen.
    /// </summary>
    public async Task<(Match Match, TimeSpan Elapsed)> WaitForConsoleAsync(Regex pattern, Func<Match, bool>? accept, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            foreach (Match m in pattern.Matches(ReadConsole()))
            {
                if (accept is null || accept(m))
                {
                    return (m, SincePowerOn);
                }
            }

            if (!IsRunning)
            {
                throw new InvalidOperationException($"machine {Name}: qemu exited while waiting for {what}; console tail:\n{ConsoleTail()}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"machine {Name}: no {what} within {timeout.TotalSeconds:0} s; console tail:\n{ConsoleTail()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The whole serial console of the current power-on (all boots since qemu started).</summary>
    public string ReadConsole()
    {
        try
        {
            using var stream = new FileStream(SerialLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    public string ConsoleTail(int lines = 40)
    {
        var all = ReadConsole().ReplaceLineEndings("\n").Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        lock (LiveMachines)
        {
            LiveMachines.Remove(this);
        }

        if (IsRunning)
        {
            // keep the agent's journal of the last boot next to the serial logs, for post-mortems
            try
            {
                var journal = await Control.ExecAsync(
                    "systemctl status edgenode-agent --no-pager | head -12; journalctl -b --no-pager -o short-monotonic -u edgenode-agent | tail -200; docker ps -a",
                    TimeSpan.FromSeconds(30));
                await File.WriteAllTextAsync(Path.Combine(Directory, "agent-journal.txt"), journal.Output);
            }
            catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
            {
                await File.WriteAllTextAsync(Path.Combine(Directory, "agent-journal.txt"), $"(guest control channel unavailable: {e.Message})");
            }
        }

        await PullThePlugAsync();
        await Control.DisposeAsync();
        _qemu?.Dispose();
        File.Delete(DiskPath); // logs stay in Directory for post-mortems
        File.Delete(ControlSocketPath);
    }

    private List<string> BuildArguments()
    {
        // no_timer_check: on a CPU-starved TCG host the IO-APIC timer check can fail and panic the kernel at boot
        var hub = _options.HubPort is { } port ? $"edgenode.e2e.hubport={port} " : "";
        var append = $"root=/dev/vda ro console=ttyS0 no_timer_check edgenode.e2e=1 {hub}{_options.ExtraKernelArgs}".Trim();
        return
        [
            "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none",
            "-accel", "tcg", "-cpu", "max", "-smp", _options.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-m", _options.MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), "-M", "pc",
            "-uuid", _options.SystemUuid.ToString(),
            "-smbios", $"type=1,manufacturer=EdgeNode,product=qemu-ipc,serial={_options.SystemUuid:N}",
            "-kernel", _image.KernelPath, "-initrd", _image.InitrdPath, "-append", append,
            "-drive", $"file={DiskPath},format=qcow2,if=virtio,cache=none",
            "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=",
            "-device", "i6300esb", "-action", "watchdog=reset",
            "-serial", $"file:{SerialLogPath}",
            "-chardev", $"socket,id=e2e,path={ControlSocketPath},server=on,wait=off",
            "-device", "virtio-serial-pci", "-device", "virtserialport,chardev=e2e,name=org.edgenode.e2e",
        ];
    }

    [GeneratedRegex(@"EDGENODE-E2E ctl-ready boot_id=([0-9a-f-]+)")]
    private static partial Regex CtlReadyRegex();
}
