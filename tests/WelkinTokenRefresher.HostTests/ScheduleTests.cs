using NCrontab;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.HostTests;

/// <summary>
/// The host, not the worker, evaluates the timer's NCRONTAB (<c>%Refresh:Schedule%</c>), so the stand-in cannot fire it:
/// the default expression is checked here with NCrontab, the library the host uses, in its six-field form.
/// </summary>
public sealed class ScheduleTests
{
    [Fact]
    public void The_default_schedule_fires_every_five_minutes_on_the_minute()
    {
        var schedule = CrontabSchedule.Parse(new RefreshOptions().Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var start = new DateTime(2026, 11, 28, 9, 58, 30, DateTimeKind.Utc);

        var occurrences = schedule.GetNextOccurrences(start, start.AddHours(24)).ToList();

        Assert.Equal(new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc), occurrences[0]);
        Assert.Equal(24 * 12, occurrences.Count);
        Assert.All(occurrences, at => Assert.Equal((0, 0, 0), (at.Minute % 5, at.Second, at.Millisecond)));
        Assert.All(occurrences.Zip(occurrences.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(5), pair.Second - pair.First));
    }
}
