using WelkinTokenRefresher.Cli.Commands;

return await WelkinTokenCommand.RunAsync(args, Console.Out, Console.Error);
