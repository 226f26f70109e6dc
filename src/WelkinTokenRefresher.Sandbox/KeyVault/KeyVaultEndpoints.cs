using Microsoft.AspNetCore.Http;
using WelkinTokenRefresher.Sandbox.Hosting;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>Maps <c>/secrets…</c> onto <see cref="KeyVaultEmulator"/>.</summary>
internal static class KeyVaultEndpoints
{
    private const string Prefix = "/secrets";

    public static RequestDelegate Create(KeyVaultEmulator emulator, TimeProvider time) => async context =>
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        EmulatorResponse response;
        if (path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            var rest = path[Prefix.Length..].TrimStart('/');
            IReadOnlyList<string> segments = rest.Length == 0 ? [] : rest.Split('/');
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var vaultRequest = new KeyVaultRequest(
                request.Method,
                $"{request.Scheme}://{request.Host}",
                segments,
                name => request.Query[name].FirstOrDefault(),
                request.Headers.Authorization.FirstOrDefault(),
                body.ToArray());
            response = await emulator.HandleAsync(vaultRequest, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response = new EmulatorResponse(404, [], null);
        }

        await EmulatorResponseWriter.WriteAsync(context, response, time).ConfigureAwait(false);
    };
}
