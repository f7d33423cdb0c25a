using EdgeNode.Agent.Supervision.Capacity;

namespace EdgeNode.Supervisor.Tests.Capacity;

public sealed class ProcMemoryProbeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("edgenode-proc-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Read_RealProc_ReportsTotalAndAvailable()
    {
        var sample = new ProcMemoryProbe().Read();
        Assert.True(sample.TotalBytes > 0);
        Assert.InRange(sample.AvailableBytes, 1UL, sample.TotalBytes);
        // PSI is present or not depending on the kernel; both are handled (null = absent).
        Assert.Equal(File.Exists("/proc/pressure/memory"), sample.PressureSomeAvg10 is not null);
    }

    [Fact]
    public void Read_FilesWithPsi_ParsesPressure()
    {
        var meminfo = Write("meminfo", "MemTotal:        2048 kB\nMemFree:  10 kB\nMemAvailable:    1024 kB\n");
        var psi = Write("psi", "some avg10=12.50 avg60=3.00 avg300=1.00 total=123\nfull avg10=4.00 avg60=1.00 avg300=0.10 total=45\n");
        Assert.Equal(new MemorySample(2048 * 1024, 1024 * 1024, 12.5), new ProcMemoryProbe(meminfo, psi).Read());
    }

    [Fact]
    public void Read_NoPsiFile_PressureNull()
    {
        var meminfo = Write("meminfo", "MemTotal: 2048 kB\nMemAvailable: 1024 kB\n");
        Assert.Null(new ProcMemoryProbe(meminfo, Path.Combine(_dir.FullName, "absent")).Read().PressureSomeAvg10);
    }

    [Fact]
    public void Read_NoMeminfo_Zeros()
    {
        Assert.Equal(default, new ProcMemoryProbe(Path.Combine(_dir.FullName, "absent"), Path.Combine(_dir.FullName, "absent2")).Read());
    }

    public static TheoryData<string, double?> PressureLines => new()
    {
        { "some avg10=0.00 avg60=0.00 avg300=0.00 total=0", 0.0 },   // idle
        { "some avg10=99.99 avg60=1 avg300=1 total=1", 99.99 },      // saturated
        { "full avg10=50.00 avg60=0 avg300=0 total=0", null },       // the "full" line is not used
        { "some avg10=abc avg60=0 avg300=0 total=0", null },         // garbage number
        { "", null },                                                // empty line
    };

    [Theory]
    [MemberData(nameof(PressureLines))]
    public void ParsePressureLine_Table(string line, double? expected) => Assert.Equal(expected, ProcMemoryProbe.ParsePressureLine(line));

    [Theory]
    [InlineData("MemAvailable:   123 kB", 123 * 1024UL)] // normal
    [InlineData("MemAvailable:", 0UL)]                  // truncated
    [InlineData("MemAvailable: -5 kB", 0UL)]            // negative
    public void ParseKb_Table(string line, ulong expected) => Assert.Equal(expected, ProcMemoryProbe.ParseKb(line));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
