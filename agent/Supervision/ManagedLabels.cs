namespace EdgeNode.Agent.Supervision;

/// <summary>The labels that mark a container as ours. Containers without them are never touched.</summary>
public static class ManagedLabels
{
    public const string Managed = "io.edgenode.managed";
    public const string Scope = "io.edgenode.scope";
    public const string App = "io.edgenode.app";
    public const string SpecHash = "io.edgenode.spec-hash";
    public const string Priority = "io.edgenode.priority";

    /// <summary>The container name of an app in a scope: <c>&lt;scope&gt;-&lt;app&gt;</c>.</summary>
    public static string ContainerName(string scope, string app) => scope + "-" + app;
}
