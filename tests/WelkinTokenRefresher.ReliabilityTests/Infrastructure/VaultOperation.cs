namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

public enum VaultOperation
{
    Read,
    Write,
}
