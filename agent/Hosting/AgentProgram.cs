using EdgeNode.Agent.Configuration;
using EdgeNode.Agent.Logging;
using EdgeNode.Hal.Profile;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Hosting;

/// <summary>
/// The agent's entry: command line, config, state directory, hardware profile, then the host. Each failure before the
/// host runs is one line on stderr naming the file, key and reason, and a distinct exit code (<see cref="AgentExitCode"/>).
/// </summary>
public static class AgentProgram
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;

        AgentCommandLine commandLine;
        try
        {
            commandLine = AgentCommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"edgenode-agent: {e.Message}\n{AgentCommandLine.Usage}").ConfigureAwait(false);
            return AgentExitCode.Usage;
        }

        if (commandLine.ShowHelp)
        {
            await stdout.WriteLineAsync(AgentCommandLine.Usage).ConfigureAwait(false);
            return AgentExitCode.Ok;
        }

        if (commandLine.ShowVersion)
        {
            await stdout.WriteLineAsync("edgenode-agent " + AgentVersion.Text).ConfigureAwait(false);
            return AgentExitCode.Ok;
        }

        var (config, profile, code) = Prepare(commandLine, stderr);
        if (config is null || profile is null)
        {
            return code;
        }

        var journal = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("EDGENODE_LOG_LEVEL"), ignoreCase: true, out var l) ? l : LogLevel.Information;
        using var loggers = new JournalLoggerFactory(new JournalLoggerProvider(stderr, journal, level));
        try
        {
            await using var host = AgentHost.Create(config, profile, commandLine.SimulateHardware, stdout, loggers);
            return await host.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"edgenode-agent: state I/O error under {config.StateDirectory}: {e.Message}").ConfigureAwait(false);
            return e is UnauthorizedAccessException ? AgentExitCode.CantCreate : AgentExitCode.IoError;
        }
    }

    /// <summary>Loads and checks everything the host needs; on failure writes one line and returns the exit code.</summary>
    internal static (AgentConfig? Config, HardwareProfile? Profile, int Code) Prepare(AgentCommandLine commandLine, TextWriter stderr)
    {
        AgentConfig config;
        try
        {
            config = AgentConfigLoader.Load(commandLine.ConfigPath, stateDirectoryOverride: commandLine.StateDirectory);
        }
        catch (AgentConfigException e)
        {
            stderr.WriteLine($"edgenode-agent: {e.Message}");
            return (null, null, AgentExitCode.Config);
        }

        HardwareProfile profile;
        try
        {
            profile = HardwareProfile.Load(config.HardwareProfilePath);
        }
        catch (HardwareProfileException e)
        {
            stderr.WriteLine($"edgenode-agent: config {config.SourcePath}: key 'hardwareProfile': {e.Message}");
            return (null, null, AgentExitCode.Config);
        }

        try
        {
            Directory.CreateDirectory(config.StateDirectory);
            var probe = Path.Combine(config.StateDirectory, ".write-probe");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"edgenode-agent: state directory {config.StateDirectory} is not writable: {e.Message} (set StateDirectory= in the unit, $STATE_DIRECTORY, or --state-dir)");
            return (null, null, AgentExitCode.CantCreate);
        }

        return (config, profile, AgentExitCode.Ok);
    }
}
