using System.Reflection;

namespace EdgeNode.Agent.Hosting;

public static class AgentVersion
{
    public static string Text { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
