namespace EdgeNode.E2E.Tests.Qemu;

/// <summary>What a script run in the guest over the control channel returned.</summary>
public sealed record GuestResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}: {Output}";
}
