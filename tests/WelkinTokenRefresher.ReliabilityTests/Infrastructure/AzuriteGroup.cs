namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>One Azurite for every test that needs storage; those tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
