using Microsoft.Extensions.Logging.Testing;

namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>Asserts that no secret (the Welkin API secret, any token ever issued or stored) appears in captured output.</summary>
public static class SecretScanner
{
    public static void AssertClean(IEnumerable<string> secrets, FakeLogCollector? logs = null, params IEnumerable<string?>[] outputs)
    {
        var texts = new List<string>();
        if (logs is not null)
        {
            foreach (var record in logs.GetSnapshot())
            {
                texts.Add(record.Message);
                texts.Add(record.Exception?.ToString() ?? "");
                texts.AddRange(record.StructuredState?.Select(s => s.Value ?? "") ?? []);
            }
        }

        texts.AddRange(outputs.SelectMany(o => o).Select(o => o ?? ""));
        foreach (var secret in secrets.Where(s => s.Length >= 8).Distinct())
        {
            // The message names where, never what: a failing test must not print the secret it found.
            var leak = texts.FindIndex(t => t.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak < 0, $"A secret value appeared in captured output #{leak} of {texts.Count}.");
        }
    }
}
