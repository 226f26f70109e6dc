using Microsoft.Extensions.Options;
using NCrontab;

namespace WelkinTokenRefresher.Core.Configuration;

internal sealed class RefreshOptionsValidator : IValidateOptions<RefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, RefreshOptions options)
    {
        var errors = new ValidationErrors();
        if (!IsNcrontab(options.Schedule))
        {
            errors.Add("Refresh:Schedule", $"must be an NCRONTAB expression with seconds, such as '0 */5 * * * *'{ValidationErrors.NotShown}");
        }

        errors.RequirePositive("Refresh:RefreshAfter", options.RefreshAfter, "00:50:00");
        errors.RequirePositive("Refresh:RefreshBeforeExpiry", options.RefreshBeforeExpiry, "00:10:00");
        if (options.MinForceInterval < TimeSpan.Zero)
        {
            errors.Add("Refresh:MinForceInterval", $"must not be negative, such as 00:01:00, but is {options.MinForceInterval}");
        }

        // A token lives one hour: windows at or beyond that would refresh on every tick and burn the rate limit.
        if (options.RefreshAfter > TimeSpan.Zero && options.RefreshAfter < TimeSpan.FromMinutes(5))
        {
            errors.Add("Refresh:RefreshAfter", $"must be at least 00:05:00 so a refresh is not attempted on every tick, but is {options.RefreshAfter}");
        }

        if (options.RefreshBeforeExpiry >= TimeSpan.FromMinutes(55))
        {
            errors.Add("Refresh:RefreshBeforeExpiry", $"must be below 00:55:00 (tokens live one hour), but is {options.RefreshBeforeExpiry}");
        }

        if (options.MinForceInterval >= options.RefreshAfter && options.RefreshAfter > TimeSpan.Zero)
        {
            errors.Add("Refresh:MinForceInterval", $"must be shorter than Refresh:RefreshAfter ({options.RefreshAfter}), but is {options.MinForceInterval}");
        }

        return errors.ToResult();
    }

    private static bool IsNcrontab(string? schedule) =>
        !string.IsNullOrWhiteSpace(schedule)
        && CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;
}
