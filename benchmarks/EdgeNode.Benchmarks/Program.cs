using BenchmarkDotNet.Running;

// Every suite in this assembly: `dotnet run -c Release --project benchmarks/EdgeNode.Benchmarks -- --filter '*'`.
// ./bench.sh wraps this and writes a Markdown summary.
// (Not typeof(Program): the referenced agent and hub assemblies have a top-level Program too, CS0436.)
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
