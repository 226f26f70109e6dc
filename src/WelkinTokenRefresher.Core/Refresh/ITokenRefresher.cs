using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>The refresh engine every host calls.</summary>
public interface ITokenRefresher
{
    /// <summary>
    /// Refreshes the token when due, or now when <paramref name="force"/> is set (refused while the vault's token is
    /// younger than Refresh:MinForceInterval, unless that token was issued after <paramref name="requestedAt"/>: then another
    /// refresh finished while this request ran, and it is answered with that token, <c>refreshed-concurrently</c>).
    /// Failures are outcomes, not exceptions; cancellation throws.
    /// </summary>
    /// <param name="requestedAt">When the caller asked, if before this call (a process's start); otherwise now.</param>
    Task<RefreshOutcome> RefreshAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken, DateTimeOffset? requestedAt = null);

    /// <summary>
    /// The vault's current token metadata, without refreshing. With <see cref="ClientUse.ReadVault"/> only the client's
    /// vault settings must be valid (its Welkin settings may be absent); with <see cref="ClientUse.Refresh"/> a client whose
    /// settings cannot be refreshed is unhealthy (<c>configuration-invalid</c>), its token still shown. Failures are reports,
    /// not exceptions; cancellation throws.
    /// </summary>
    Task<TokenStatusReport> GetStatusAsync(ClientUse use, CancellationToken cancellationToken);
}
