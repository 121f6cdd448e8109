using MarketSim.Cli;

// Dispatch only: each command lives in its own file.
return args switch
{
    [] or ["-h" or "--help" or "help"] => Usage.Print(Console.Out, ExitCodes.Ok),
    ["help", var command] => Usage.PrintCommand(command),
    ["validate", .. var rest] => ValidateCommand.Run(rest),
    ["run", .. var rest] => await RunCommand.RunAsync(rest),
    ["batch", .. var rest] => await MarketSim.Cli.Batch.BatchCommand.RunAsync(rest),
    ["report", .. var rest] => await MarketSim.Cli.Report.ReportCommand.RunAsync(rest),
    ["attribute", .. var rest] => MarketSim.Cli.Attribution.AttributeCommand.Run(rest),
    [var unknown, ..] => Usage.Fail($"unknown command '{unknown}' (commands: {Usage.Commands})"),
};
