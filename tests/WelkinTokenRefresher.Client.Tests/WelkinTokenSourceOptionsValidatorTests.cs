namespace WelkinTokenRefresher.Client.Tests;

/// <summary>Each option's bounds, exactly at and just past each edge.</summary>
public sealed class WelkinTokenSourceOptionsValidatorTests
{
    private static WelkinTokenSourceOptions Valid() => new() { VaultUri = new Uri("https://tokens.vault.azure.net/") };

    private static IEnumerable<string> Failures(Action<WelkinTokenSourceOptions> change)
    {
        WelkinTokenSourceOptions options = Valid();
        change(options);
        var result = new WelkinTokenSourceOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    public void TheDefaultsWithAVaultUriAreValid()
    {
        Assert.Empty(Failures(_ => { }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://tokens.vault.azure.net/")]
    public void VaultUriMustBeAnAbsoluteHttpsUri(string? uri)
    {
        Assert.Contains(Failures(o => o.VaultUri = uri is null ? null : new Uri(uri)), f => f.StartsWith("VaultUri", StringComparison.Ordinal));
        Assert.Contains(Failures(o => o.VaultUri = new Uri("/relative", UriKind.Relative)), f => f.StartsWith("VaultUri", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("welkin_token", false)]
    [InlineData("welkin-Token-2", true)]
    [InlineData("az-AZ-09", true)]
    [InlineData("a`{@[/:", false)]
    public void SecretNameIsLettersDigitsAndDashes(string name, bool valid)
    {
        Assert.Equal(valid, !Failures(o => o.SecretName = name).Any(f => f.StartsWith("SecretName", StringComparison.Ordinal)));
    }

    [Fact]
    public void SecretNameIsAtMost127Characters()
    {
        Assert.Empty(Failures(o => o.SecretName = new string('a', 127)));
        Assert.Contains(Failures(o => o.SecretName = new string('a', 128)), f => f.StartsWith("SecretName", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(30, true)]
    [InlineData(3599, true)]
    [InlineData(3600, false)]
    public void RefreshBeforeExpiryIsMoreThanZeroAndLessThanAnHour(int seconds, bool valid)
    {
        var failures = Failures(o =>
        {
            o.RefreshBeforeExpiry = TimeSpan.FromSeconds(seconds);
            o.MinimumReadInterval = TimeSpan.FromSeconds(Math.Max(1, Math.Min(seconds, 30)));
        });

        Assert.Equal(valid, !failures.Any(f => f.StartsWith("RefreshBeforeExpiry", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void MinimumReadIntervalIsMoreThanZeroAndAtMostRefreshBeforeExpiry(int seconds, bool valid)
    {
        Assert.Equal(valid, !Failures(o => o.MinimumReadInterval = TimeSpan.FromSeconds(seconds))
            .Any(f => f.StartsWith("MinimumReadInterval", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public void ErrorBackoffIsMoreThanZero(int seconds, bool valid)
    {
        Assert.Equal(valid, !Failures(o => o.ErrorBackoff = TimeSpan.FromSeconds(seconds))
            .Any(f => f.StartsWith("ErrorBackoff", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public void MaxErrorBackoffIsAtLeastErrorBackoff(int seconds, bool valid)
    {
        Assert.Equal(valid, !Failures(o => o.MaxErrorBackoff = TimeSpan.FromSeconds(seconds))
            .Any(f => f.StartsWith("MaxErrorBackoff", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void VaultReadTimeoutIsMoreThanZeroAndAtMostFiveMinutes(int seconds, bool valid)
    {
        var failures = Failures(o => o.VaultReadTimeout = TimeSpan.FromSeconds(seconds)).ToList();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.Equal("VaultReadTimeout must be more than zero and at most 5 minutes (default 30 seconds).", f));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var failures = Failures(o =>
        {
            o.VaultUri = null;
            o.SecretName = "";
            o.ErrorBackoff = TimeSpan.Zero;
            o.VaultReadTimeout = TimeSpan.Zero;
        });

        Assert.Equal(4, failures.Count());
    }
}
