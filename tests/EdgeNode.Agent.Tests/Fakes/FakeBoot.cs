using EdgeNode.Agent.Platform;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Fakes;

internal sealed class FakeBoot(BootReason reason = BootReason.FirstBoot, uint count = 1) : IBootReasonSource
{
    public BootReason Reason => reason;

    public uint BootCount => count;

    public bool CleanStopMarked { get; private set; }

    public void MarkCleanStop() => CleanStopMarked = true;
}
