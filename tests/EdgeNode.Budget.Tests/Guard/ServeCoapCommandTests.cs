using EdgeNode.BudgetGuard.Guard;

namespace EdgeNode.Budget.Tests.Guard;

public sealed class ServeCoapCommandTests
{
    [Fact]
    public async Task ServeCoap_MissingBodyFile_UsageError()
    {
        var output = new StringWriter();
        var log = new StringWriter();

        int exit = await GuardRunner.MainAsync([ServeCoapCommand.Name, "/nonexistent/body.bin"], output, log);

        Assert.Equal(GuardRunner.ExitUsage, exit);
        Assert.Contains("the body file must exist", log.ToString());
    }
}
