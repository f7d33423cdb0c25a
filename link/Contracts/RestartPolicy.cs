namespace EdgeNode.Link.Contracts;

public enum RestartPolicy
{
    Always = 0,
    No = 1,
    OnFailure = 2,
    UnlessStopped = 3,
}
