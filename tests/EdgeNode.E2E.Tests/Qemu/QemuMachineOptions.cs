namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>How a test machine is wired. Defaults: TCG, 2 vCPUs, 1 GiB, i6300esb with reset action.</summary>
public sealed record QemuMachineOptions
{
    public int MemoryMiB { get; init; } = 1024;
    public int Cpus { get; init; } = 2;
    /// <summary>SMBIOS system serial / UUID: the unit's hardware identity (a swapped unit gets another).</summary>
    public Guid SystemUuid { get; init; } = Guid.NewGuid();
    /// <summary>
    /// The host UDP port of this test's hub: the guest redirects the factory config's 10.0.2.2:5684 there
    /// (edgenode.e2e.hubport=N, images/e2e/.../e2e-hub-redirect). Null: no redirect.
    /// </summary>
    public int? HubPort { get; init; }

    /// <summary>Extra kernel command line (the machine always adds console, root and edgenode.e2e=1).</summary>
    public string ExtraKernelArgs { get; init; } = "";
}
