using EdgeNode.Agent.Configuration;

namespace EdgeNode.Agent.Hosting;

/// <summary>The agent's command line (hand-parsed: System.CommandLine would cost binary size for five options).</summary>
public sealed record AgentCommandLine
{
    public const string Usage = """
        usage: edgenode-agent [--config PATH] [--state-dir DIR] [--simulate-hardware] [--version] [--help]

          --config PATH          config file (default /etc/edgenode/agent.json)
          --state-dir DIR        state directory (default $STATE_DIRECTORY, else /var/lib/edgenode)
          --simulate-hardware    simulated GPIO LEDs (line changes printed) and a fake watchdog device
          --version              print the version and exit
          --help                 print this help and exit

        exit codes: 0 ok, 64 usage, 70 internal error, 73 state directory not writable,
                    74 state I/O error, 78 config error (file, key and reason are logged)
        """;

    public string ConfigPath { get; init; } = AgentConfigLoader.DefaultPath;
    public string? StateDirectory { get; init; }
    public bool SimulateHardware { get; init; }
    public bool ShowVersion { get; init; }
    public bool ShowHelp { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> with a message that names the bad argument.</summary>
    public static AgentCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new AgentCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inlineValue is not null)
                {
                    return inlineValue.Length > 0 ? inlineValue : throw new ArgumentException($"option {arg} needs a value");
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"option {arg} needs a value");
                }

                return args[++i];
            }

            result = arg switch
            {
                "--config" or "-c" => result with { ConfigPath = Value() },
                "--state-dir" => result with { StateDirectory = Value() },
                "--simulate-hardware" => result with { SimulateHardware = true },
                "--version" => result with { ShowVersion = true },
                "--help" or "-h" => result with { ShowHelp = true },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }

        return result;
    }
}
