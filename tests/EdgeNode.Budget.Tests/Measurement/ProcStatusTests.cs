using EdgeNode.BudgetGuard.Measurement;

namespace EdgeNode.Budget.Tests.Measurement;

public sealed class ProcStatusTests
{
    private const string Sample = """
        Name:	edgenode-agent
        VmPeak:	  262364 kB
        VmHWM:	   14120 kB
        VmRSS:	   13004 kB
        RssAnon:	    5120 kB
        RssFile:	    7812 kB
        RssShmem:	      72 kB
        Threads:	12
        """;

    [Fact]
    public void Parse_StatusText_ReadsRssPartsInBytes()
    {
        var status = ProcStatus.Parse(Sample, 42);

        Assert.Equal(13004L * 1024, status.VmRss);
        Assert.Equal(14120L * 1024, status.VmHwm);
        Assert.Equal(5120L * 1024, status.RssAnon);
        Assert.Equal(7812L * 1024, status.RssFile);
        Assert.Equal(72L * 1024, status.RssShmem);
        Assert.Equal(status.VmRss, status.RssAnon + status.RssFile + status.RssShmem);
    }

    [Fact]
    public void Parse_MissingField_ErrorNamesProcessAndField()
    {
        var e = Assert.Throws<InvalidDataException>(() => ProcStatus.Parse(Sample.Replace("RssFile:", "RssFilx:"), 42));

        Assert.Equal("/proc/42/status has no RssFile line", e.Message);
    }

    [Fact]
    public void Read_OwnProcess_ResidentAndConsistent()
    {
        var status = ProcStatus.Read(Environment.ProcessId);

        Assert.True(status.VmRss > 1_000_000, $"VmRSS {status.VmRss}");
        Assert.True(status.VmHwm >= status.VmRss);
    }
}
