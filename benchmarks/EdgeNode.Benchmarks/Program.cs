using BenchmarkDotNet.Running;

namespace EdgeNode.Benchmarks;

/// <summary>
/// Every suite in this assembly: <c>dotnet run -c Release --project benchmarks/EdgeNode.Benchmarks -- --filter '*'</c>.
/// ./bench.sh wraps this and writes a Markdown summary.
/// </summary>
public static class BenchmarkEntry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
