using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Tests.TestDoubles;

public static class StartupValidation
{
    /// <summary>Runs what ValidateOnStart runs at host start and returns every failure message, or an empty list.</summary>
    public static IReadOnlyList<string> Failures(IServiceProvider provider)
    {
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(x => x.Failures)];
        }
    }
}
