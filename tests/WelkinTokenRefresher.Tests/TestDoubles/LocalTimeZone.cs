namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// Sets the process's local time zone for one test, so that code reading local time by mistake gives a wrong answer even on a
/// machine that runs in UTC. Tests that use it belong to <see cref="Collection"/>, which runs alone.
/// </summary>
public sealed class LocalTimeZone : IDisposable
{
    public const string Collection = "Local time zone";

    private readonly string? _previous;

    private LocalTimeZone(string zone)
    {
        _previous = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", zone);
        TimeZoneInfo.ClearCachedData();
    }

    public static LocalTimeZone Set(string zone)
    {
        var set = new LocalTimeZone(zone);
        if (TimeZoneInfo.Local.Id != zone)
        {
            set.Dispose();
            Assert.Fail($"The time zone {zone} is not available on this machine (tzdata).");
        }

        return set;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TZ", _previous);
        TimeZoneInfo.ClearCachedData();
    }
}

[CollectionDefinition(LocalTimeZone.Collection, DisableParallelization = true)]
public sealed class LocalTimeZoneTests;
