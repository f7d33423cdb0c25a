using EdgeNode.Agent.Supervision.Images;

namespace EdgeNode.Supervisor.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "busybox:latest")]                               // implicit tag
    [InlineData("docker.io/library/busybox:1.36", "busybox:1.36")]          // Docker Hub long form
    [InlineData("index.docker.io/acme/app", "acme/app:latest")]             // old hub host
    [InlineData("registry.local:5000/acme/app", "registry.local:5000/acme/app:latest")] // port is not a tag
    [InlineData("registry.local:5000/acme/app:2", "registry.local:5000/acme/app:2")]
    [InlineData("acme/app@sha256:abcd", "acme/app@sha256:abcd")]            // digests are exact
    [InlineData(" acme/app:1 ", "acme/app:1")]                              // whitespace
    public void Normalize_Table(string input, string expected) => Assert.Equal(expected, ImageReference.Normalize(input));

    [Theory]
    [InlineData("acme/app:1", "acme/app", "1")]
    [InlineData("registry.local:5000/app", "registry.local:5000/app", "latest")]
    [InlineData("app@sha256:ff", "app@sha256:ff", "")]
    public void Split_Table(string input, string name, string tag) => Assert.Equal((name, tag), ImageReference.Split(input));
}
