namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

public static class TestVault
{
    /// <summary>
    /// A vault holding a good token that is old enough to be due and to be forced (55 minutes old, 5 minutes left),
    /// so every path reaches Welkin and a failure must leave this version in place.
    /// </summary>
    public static InMemorySecretClient WithDueToken(TimeProvider time, string value = "eyJhbGciOiJSUzI1NiJ9.good-token-still-valid.c2lnbmF0dXJl")
    {
        var vault = new InMemorySecretClient(time);
        var now = time.GetUtcNow();
        vault.Seed(value, now.AddMinutes(-55), now.AddMinutes(5));
        return vault;
    }
}
