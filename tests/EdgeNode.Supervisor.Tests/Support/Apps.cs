using EdgeNode.Link.Contracts;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>App specs over the test image. Commands exit on SIGTERM so stops are fast.</summary>
internal static class Apps
{
    public const string Image = "edgenode/busybox:test";

    public static readonly string[] Loop = ["/bin/sh", "-c", "trap 'exit 0' TERM; echo up; while :; do sleep 0.1; done"];

    public static AppSpec Spec(string name, PriorityClass priority = PriorityClass.Normal, ulong memory = 0, string image = Image, string[]? command = null, RestartPolicy restart = RestartPolicy.Always)
    {
        var spec = new AppSpec
        {
            Name = name,
            Image = image,
            Command = [.. command ?? Loop],
            Priority = priority,
            Restart = restart,
            MemoryLimitBytes = memory,
        };
        return spec;
    }

    public static DesiredState State(ulong generation, params AppSpec[] apps) => new() { Generation = generation, Apps = [.. apps] };
}
