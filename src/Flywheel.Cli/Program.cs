return await Flywheel.Cli.FlywheelCli.RunAsync(args, Flywheel.Cli.CliContext.FromConsole());
