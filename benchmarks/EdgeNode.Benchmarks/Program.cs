using BenchmarkDotNet.Running;

// Every suite in this assembly: `dotnet run -c Release --project benchmarks/EdgeNode.Benchmarks -- --filter '*'`.
// ./bench.sh wraps this and writes a Markdown summary.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
