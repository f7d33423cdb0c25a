using EdgeNode.Agent.Hosting;

// The EdgeNode agent: see agent/README.md (config, exit codes, fault injection). Wiring: AddEdgeNodeAgent().
return await AgentProgram.RunAsync(args);
