using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Platform;

/// <summary>Why this boot happened (HAL: clean-stop marker + watchdog boot status) and the boot counter.</summary>
public interface IBootReasonSource
{
    BootReason Reason { get; }

    uint BootCount { get; }

    /// <summary>Writes the clean-stop marker (call last on an orderly shutdown).</summary>
    void MarkCleanStop();
}
