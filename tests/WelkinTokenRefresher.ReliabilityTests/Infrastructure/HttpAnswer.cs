namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>What an HTTP function answered: status, JSON body and Retry-After header.</summary>
public sealed record HttpAnswer(int Status, string Body, string RetryAfter);
