using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Images;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>What commands need to execute: the engine adapter, the image cache and the settings.</summary>
public sealed record CommandContext(IContainerEngine Engine, ImageCache Cache, SupervisorOptions Options, ILogger Logger);
