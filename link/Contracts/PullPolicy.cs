namespace EdgeNode.Link.Contracts;

public enum PullPolicy
{
    IfNotPresent = 0,
    Always = 1,
    Never = 2,
}
