namespace EdgeNode.Agent.Link;

public enum HubMethod
{
    Get = 1,
    Post = 2,
}
