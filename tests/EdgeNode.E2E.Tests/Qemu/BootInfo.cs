namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>
/// One boot of a guest, seen on its console: the kernel's boot id and when the e2e control channel
/// came up, measured on the host from the moment qemu was started (power-on).
/// </summary>
public sealed record BootInfo(string BootId, int Number, TimeSpan SincePowerOn);
