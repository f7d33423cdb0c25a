using EdgeNode.Agent.Platform;

namespace EdgeNode.Agent.Tests.Fakes;

internal sealed class RecordingNotifier : IServiceNotifier
{
    public List<string> Messages { get; } = [];

    public void Ready(string status) { lock (Messages) { Messages.Add("READY=1"); } }

    public void Status(string status) { lock (Messages) { Messages.Add("STATUS=" + status); } }

    public void Stopping(string status) { lock (Messages) { Messages.Add("STOPPING=1"); } }
}
