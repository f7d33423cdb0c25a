using EdgeNode.Hub.Cli;

return await HubCli.RunAsync(args);
