using System.ComponentModel;
using System.Diagnostics;
using WelkinTokenRefresher.Cli.Commands;

return await WelkinTokenCommand.RunAsync(args, Console.Out, Console.Error, StartedAt());

// When the process started: a forced refresh that finds a token issued after it was refreshed by another process meanwhile.
// The OS's own record counts from the launch, before the runtime's start-up (up to a second for the JIT build).
static DateTimeOffset StartedAt()
{
    try
    {
        using var self = Process.GetCurrentProcess();
        return new DateTimeOffset(self.StartTime.ToUniversalTime());
    }
    catch (Exception e) when (e is InvalidOperationException or NotSupportedException or Win32Exception)
    {
        return TimeProvider.System.GetUtcNow();
    }
}
