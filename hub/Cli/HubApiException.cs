namespace EdgeNode.Hub.Cli;

public sealed class HubApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
