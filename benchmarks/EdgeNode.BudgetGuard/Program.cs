// The budget guard: `./bench.sh --check` runs it against benchmarks/budgets.json (see GuardOptions for flags).
using EdgeNode.BudgetGuard.Guard;

return await GuardRunner.MainAsync(args, Console.Out, Console.Error);
