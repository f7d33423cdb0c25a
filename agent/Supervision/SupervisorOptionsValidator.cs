using Microsoft.Extensions.Options;

namespace EdgeNode.Agent.Supervision;

/// <summary>Source-generated validation of <see cref="SupervisorOptions"/> (AOT-safe).</summary>
[OptionsValidator]
public sealed partial class SupervisorOptionsValidator : IValidateOptions<SupervisorOptions>
{
    /// <summary>Validates and throws <see cref="OptionsValidationException"/> naming every bad setting.</summary>
    public static void ThrowIfInvalid(SupervisorOptions options)
    {
        var result = new SupervisorOptionsValidator().Validate("Supervisor", options);
        var failures = new List<string>(result.Failed ? result.Failures : []);
        void Positive(string name, TimeSpan value, bool zeroAllowed = false)
        {
            if (value < TimeSpan.Zero || (!zeroAllowed && value == TimeSpan.Zero))
                failures.Add($"Supervisor: {name} must be {(zeroAllowed ? "zero or more" : "more than zero")} (is {value}).");
        }
        Positive(nameof(options.RestartBackoffBase), options.RestartBackoffBase);
        Positive(nameof(options.RestartBackoffCap), options.RestartBackoffCap);
        Positive(nameof(options.CrashLoopWindow), options.CrashLoopWindow);
        Positive(nameof(options.ResyncPeriod), options.ResyncPeriod);
        Positive(nameof(options.CapacityHysteresis), options.CapacityHysteresis, zeroAllowed: true);
        Positive(nameof(options.TickInterval), options.TickInterval);
        Positive(nameof(options.StopTimeout), options.StopTimeout, zeroAllowed: true);
        Positive(nameof(options.PullTimeout), options.PullTimeout);
        Positive(nameof(options.EngineCallTimeout), options.EngineCallTimeout);
        Positive(nameof(options.EngineRetryInterval), options.EngineRetryInterval);
        Positive(nameof(options.CommandRetryBase), options.CommandRetryBase);
        Positive(nameof(options.CommandRetryCap), options.CommandRetryCap);
        if (options.RestartBackoffCap < options.RestartBackoffBase)
            failures.Add("Supervisor: RestartBackoffCap must not be shorter than RestartBackoffBase.");
        if (options.CommandRetryCap < options.CommandRetryBase)
            failures.Add("Supervisor: CommandRetryCap must not be shorter than CommandRetryBase.");
        if (!string.IsNullOrEmpty(options.Scope) && !NameRules.IsScope(options.Scope))
            failures.Add($"Supervisor: Scope '{options.Scope}' must be 1-41 characters of letters, digits, '_', '.', '-' starting with a letter or digit.");
        if (!Uri.TryCreate(options.DockerEndpoint, UriKind.Absolute, out _))
            failures.Add($"Supervisor: DockerEndpoint '{options.DockerEndpoint}' is not an absolute URI.");
        else
        {
            try
            {
                Engine.Api.EngineHttpClient.ParseEndpoint(options.DockerEndpoint);
            }
            catch (ArgumentException e)
            {
                failures.Add("Supervisor: " + e.Message.Split(" (Parameter", 2)[0] + ".");
            }
        }
        if (failures.Count > 0)
            throw new OptionsValidationException("Supervisor", typeof(SupervisorOptions), failures);
    }
}
