using Microsoft.AspNetCore.Http;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Functions.Http;

internal static class RefreshHttpStatus
{
    public static int From(RefreshStatus status) => status switch
    {
        RefreshStatus.Succeeded => StatusCodes.Status200OK,
        RefreshStatus.Throttled => StatusCodes.Status429TooManyRequests,
        RefreshStatus.WelkinFailed => StatusCodes.Status502BadGateway,
        RefreshStatus.VaultFailed or RefreshStatus.ConfigurationInvalid => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
