using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeNode.Agent.Configuration;

/// <summary>
/// Reads and validates <c>agent.json</c>. Every failure is an <see cref="AgentConfigException"/> naming the file,
/// the key and the reason: missing file, unreadable file, invalid JSON (with line and column), unknown key,
/// missing key, wrong type, value out of range.
/// </summary>
public static partial class AgentConfigLoader
{
    public const string DefaultPath = "/etc/edgenode/agent.json";
    public const string DefaultStateDirectory = "/var/lib/edgenode";
    public const string DefaultFreezeFlagPath = "/run/edgenode/freeze-loops";
    public const int DefaultDtlsPort = 5684;
    public const int DefaultPlainPort = 5683;

    /// <param name="path">The config file.</param>
    /// <param name="getEnvironment">Environment lookup (STATE_DIRECTORY); tests pass their own.</param>
    /// <param name="stateDirectoryOverride">From the command line (--state-dir); wins over everything.</param>
    public static AgentConfig Load(string path, Func<string, string?>? getEnvironment = null, string? stateDirectoryOverride = null)
    {
        getEnvironment ??= Environment.GetEnvironmentVariable;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new AgentConfigException(path, null, "file not found (install the factory config there, or pass --config PATH)", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new AgentConfigException(path, null, "file not found: its directory does not exist (pass --config PATH)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new AgentConfigException(path, null, "permission denied reading the file", e);
        }
        catch (IOException e)
        {
            throw new AgentConfigException(path, null, $"cannot read the file: {e.Message}", e);
        }

        var options = Parse(path, bytes);
        return Validate(path, options, getEnvironment, stateDirectoryOverride);
    }

    internal static AgentOptions Parse(string path, ReadOnlySpan<byte> json)
    {
        AgentOptions? options;
        try
        {
            options = JsonSerializer.Deserialize(json, AgentConfigJsonContext.Default.AgentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: " : "";
            throw new AgentConfigException(path, KeyFromJsonPath(e.Path), $"invalid JSON at {where}{Describe(e)}", e);
        }

        return options ?? throw new AgentConfigException(path, null, "the file holds JSON null; expected an object");
    }

    private static AgentConfig Validate(string path, AgentOptions o, Func<string, string?> env, string? stateDirectoryOverride)
    {
        string Required(string? value, string key, string what) =>
            string.IsNullOrWhiteSpace(value) ? throw new AgentConfigException(path, key, $"missing: {what}") : value;

        int Range(int? value, string key, int fallback, int min, int max)
        {
            var v = value ?? fallback;
            return v < min || v > max ? throw new AgentConfigException(path, key, $"value {v} is out of range: must be between {min} and {max}") : v;
        }

        double RangeD(double? value, string key, double fallback, double min, double max)
        {
            var v = value ?? fallback;
            return double.IsNaN(v) || v < min || v > max ? throw new AgentConfigException(path, key, $"value {v} is out of range: must be between {min} and {max}") : v;
        }

        var profile = Required(o.HardwareProfile, "hardwareProfile", "the path of the hardware-profile JSON (LED pins, watchdog device)");
        if (!Path.IsPathRooted(profile))
        {
            profile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/", profile));
        }

        if (!File.Exists(profile))
        {
            throw new AgentConfigException(path, "hardwareProfile", $"the hardware profile {profile} does not exist");
        }

        var model = Required(o.Model, "model", "the unit's model name reported at enrollment");

        var hub = o.Hub ?? throw new AgentConfigException(path, "hub", "missing: the hub section (addresses, port)");
        var plain = hub.PlainCoap ?? false;
        var port = Range(hub.Port, "hub.port", plain ? DefaultPlainPort : DefaultDtlsPort, 1, 65535);
        if (hub.Addresses is null || hub.Addresses.Count == 0)
        {
            throw new AgentConfigException(path, "hub.addresses", "missing: at least one hub address (host name or IP, optionally with :port)");
        }

        var endpoints = new List<HubEndpoint>(hub.Addresses.Count);
        for (var i = 0; i < hub.Addresses.Count; i++)
        {
            endpoints.Add(ParseEndpoint(path, $"hub.addresses[{i}]", hub.Addresses[i], port));
        }

        var requestTimeout = Range(hub.RequestTimeoutSeconds, "hub.requestTimeoutSeconds", 20, 1, 300);
        var backoffInitial = RangeD(hub.ReconnectInitialSeconds, "hub.reconnectInitialSeconds", 1, 0.01, 3600);
        var backoffMax = RangeD(hub.ReconnectMaxSeconds, "hub.reconnectMaxSeconds", 300, backoffInitial, 86400);

        var enrollment = o.Enrollment ?? throw new AgentConfigException(path, "enrollment", "missing: the fleet enrollment identity and key");
        var identity = Required(enrollment.Identity, "enrollment.identity", "the fleet enrollment PSK identity");
        var key = ParseKey(path, "enrollment.key", Required(enrollment.Key, "enrollment.key", "the fleet enrollment PSK"));

        var heartbeat = Range(o.HeartbeatSeconds, "heartbeatSeconds", 10, 1, 3600);
        var loopDeadline = Range(o.LoopDeadlineSeconds, "loopDeadlineSeconds", 60, 5, 3600);
        if (loopDeadline <= requestTimeout)
        {
            throw new AgentConfigException(path, "loopDeadlineSeconds",
                $"value {loopDeadline} must be larger than hub.requestTimeoutSeconds ({requestTimeout}), or a slow hub would starve the watchdog");
        }

        var stateDir = stateDirectoryOverride ?? o.StateDirectory ?? FirstStateDirectory(env("STATE_DIRECTORY")) ?? DefaultStateDirectory;
        if (!Path.IsPathRooted(stateDir))
        {
            stateDir = Path.GetFullPath(stateDir);
        }

        var endpointText = o.Docker?.Endpoint ?? "unix:///var/run/docker.sock";
        Uri dockerUri;
        try
        {
            // The same parse the engine client uses: unix:///path, tcp://host:port or http://host:port (no TLS).
            Supervision.Engine.Api.EngineHttpClient.ParseEndpoint(endpointText);
            dockerUri = new Uri(endpointText);
        }
        catch (ArgumentException)
        {
            throw new AgentConfigException(path, "docker.endpoint",
                $"'{endpointText}' is not a Docker endpoint the agent can use: expected unix:///path/docker.sock or tcp://host:port (plain HTTP; a TLS-protected engine is not supported)");
        }

        var cache = o.Docker?.ImageCacheDir ?? Path.Combine(stateDir, "image-cache");
        var scope = o.Docker?.Scope ?? Supervision.SupervisorOptions.DefaultScope;
        if (!ScopePattern().IsMatch(scope))
        {
            throw new AgentConfigException(path, "docker.scope",
                $"'{scope}' is not a container scope: 1 to 40 characters a-z, 0-9, '_', '.', '-', starting with a letter or digit (it prefixes container names)");
        }

        var capacity = o.Capacity ?? throw new AgentConfigException(path, "capacity", "missing: the memory and CPU budget for apps");
        var memory = Range(capacity.MemoryMb ?? throw new AgentConfigException(path, "capacity.memoryMb", "missing: memory budget for apps in MB"),
            "capacity.memoryMb", 0, 16, 1 << 22);
        var cpu = Range(capacity.CpuMillis ?? throw new AgentConfigException(path, "capacity.cpuMillis", "missing: CPU budget in thousandths of a core"),
            "capacity.cpuMillis", 0, 10, 1_024_000);
        var disk = Range(capacity.DiskMb, "capacity.diskMb", 0, 0, int.MaxValue);

        var freeze = o.FreezeFlagPath ?? DefaultFreezeFlagPath;
        if (!Path.IsPathRooted(freeze))
        {
            throw new AgentConfigException(path, "freezeFlagPath", $"'{freeze}' must be an absolute path");
        }

        return new AgentConfig
        {
            SourcePath = path,
            HardwareProfilePath = profile,
            Model = model,
            HardwareId = string.IsNullOrWhiteSpace(o.HardwareId) ? null : o.HardwareId.Trim(),
            HubEndpoints = endpoints,
            PlainCoap = plain,
            RequestTimeout = TimeSpan.FromSeconds(requestTimeout),
            ReconnectInitial = TimeSpan.FromSeconds(backoffInitial),
            ReconnectMax = TimeSpan.FromSeconds(backoffMax),
            EnrollmentIdentity = identity,
            EnrollmentKey = key,
            SlotHint = enrollment.SlotHint ?? "",
            EnrollmentToken = enrollment.Token ?? "",
            HeartbeatInterval = TimeSpan.FromSeconds(heartbeat),
            DockerEndpoint = dockerUri,
            ImageCacheDirectory = cache,
            ContainerScope = scope,
            CapacityMemoryMb = memory,
            CapacityCpuMillis = cpu,
            CapacityDiskMb = disk,
            StateDirectory = stateDir,
            FreezeFlagPath = freeze,
            LoopDeadline = TimeSpan.FromSeconds(loopDeadline),
        };
    }

    /// <summary>systemd passes several directories separated by ':' when StateDirectory= names several; the first is ours.</summary>
    internal static string? FirstStateDirectory(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    internal static HubEndpoint ParseEndpoint(string file, string key, string? text, int defaultPort)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new AgentConfigException(file, key, "empty hub address");
        }

        text = text.Trim();
        string host;
        int port = defaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                throw new AgentConfigException(file, key, $"'{text}' has an unclosed '[' (IPv6 literals are written [addr]:port)");
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':' || !int.TryParse(rest.AsSpan(1), out port))
                {
                    throw new AgentConfigException(file, key, $"'{text}' has no valid port after ']'");
                }
            }

            if (!IPAddress.TryParse(host, out _))
            {
                throw new AgentConfigException(file, key, $"'{host}' is not an IPv6 address");
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':') != colon)
            {
                host = text; // bare IPv6 literal without a port
                if (!IPAddress.TryParse(host, out _))
                {
                    throw new AgentConfigException(file, key, $"'{text}' is not a host, host:port, IP or [IPv6]:port");
                }
            }
            else if (colon >= 0)
            {
                host = text[..colon];
                if (!int.TryParse(text.AsSpan(colon + 1), out port))
                {
                    throw new AgentConfigException(file, key, $"'{text}' has an invalid port '{text[(colon + 1)..]}'");
                }
            }
            else
            {
                host = text;
            }

            if (host.Length == 0 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_')))
            {
                throw new AgentConfigException(file, key, $"'{text}' is not a valid host name or IP address");
            }
        }

        if (port is < 1 or > 65535)
        {
            throw new AgentConfigException(file, key, $"port {port} in '{text}' is out of range: must be between 1 and 65535");
        }

        return new HubEndpoint(host, port);
    }

    internal static byte[] ParseKey(string file, string key, string text)
    {
        byte[] bytes;
        if (text.StartsWith("hex:", StringComparison.Ordinal))
        {
            try
            {
                bytes = Convert.FromHexString(text.AsSpan(4));
            }
            catch (FormatException e)
            {
                throw new AgentConfigException(file, key, "the 'hex:' key is not valid hexadecimal (an even number of 0-9/a-f digits)", e);
            }
        }
        else if (text.StartsWith("base64:", StringComparison.Ordinal))
        {
            try
            {
                bytes = Convert.FromBase64String(text[7..]);
            }
            catch (FormatException e)
            {
                throw new AgentConfigException(file, key, "the 'base64:' key is not valid base64", e);
            }
        }
        else
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(text);
        }

        return bytes.Length < 8
            ? throw new AgentConfigException(file, key, $"the key is {bytes.Length} bytes long; a PSK must be at least 8 bytes (16 or more recommended)")
            : bytes;
    }

    /// <summary>"$.hub.addresses[0]" → "hub.addresses[0]"; "$" or null → null.</summary>
    internal static string? KeyFromJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            message = message[..cut];
        }

        // Plain words for the common cases; keep the parser's own text otherwise.
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'');
            var end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            var name = start >= 0 && end > start ? message[(start + 1)..end] : "?";
            return $"unknown key '{name}' (check the spelling; keys are camelCase)";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var type = message[(message.LastIndexOf(' ') + 1)..].TrimEnd('.');
            return $"wrong type: expected {FriendlyType(type)}";
        }

        if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "the file is empty; expected a JSON object";
        }

        return message.TrimEnd('.');
    }

    private static string FriendlyType(string type) => type switch
    {
        _ when type.Contains("Int32", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("String", StringComparison.Ordinal) && type.Contains("List", StringComparison.Ordinal) => "a list of strings",
        _ when type.Contains("String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("Options", StringComparison.Ordinal) => "an object { ... }",
        _ => type,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,39}$")]
    private static partial Regex ScopePattern();
}
