using EdgeNode.BudgetGuard.Probes;
using EdgeNode.Link.Coap;

namespace EdgeNode.BudgetGuard.Guard;

/// <summary>
/// <c>edgenode-budget-guard serve-coap BODY-FILE [--dtls]</c>: our CoapServer alone in its own process, serving GET /
/// with the file's bytes on an ephemeral loopback port (printed as "listening PORT"), until stdin closes. The
/// round-trip ratio probe runs it so that our server, like coap-server-openssl, answers from another process.
/// </summary>
public static class ServeCoapCommand
{
    public const string Name = "serve-coap";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter log)
    {
        if (args.Count < 1 || !File.Exists(args[0]))
        {
            await log.WriteLineAsync($"usage: edgenode-budget-guard {Name} BODY-FILE [--dtls] (the body file must exist)");
            return GuardRunner.ExitUsage;
        }

        byte[] body = await File.ReadAllBytesAsync(args[0]);
        bool dtls = args.Contains("--dtls");
        await using var server = await OwnStack.StartServerAsync(dtls, s => s.Map(CoapMethod.Get, "", (_, _) => ValueTask.FromResult(CoapResponse.Content(body, 0))), CancellationToken.None);
        await output.WriteLineAsync($"listening {server.LocalEndPoint.Port}");
        await output.FlushAsync();
        await Console.In.ReadToEndAsync(); // until the probe closes stdin or stops us
        return GuardRunner.ExitOk;
    }
}
