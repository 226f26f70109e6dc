using Microsoft.AspNetCore.Http;
using WelkinTokenRefresher.Sandbox.Hosting;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>Maps <c>/secrets…</c> and <c>/deletedsecrets…</c> onto <see cref="KeyVaultEmulator"/>.</summary>
internal static class KeyVaultEndpoints
{
    private const string Secrets = "/secrets";
    private const string DeletedSecrets = "/deletedsecrets";

    public static RequestDelegate Create(KeyVaultEmulator emulator, TimeProvider time) => async context =>
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        EmulatorResponse response;
        if ((Under(path, Secrets) ?? Under(path, DeletedSecrets)) is { } match)
        {
            var (deleted, remainder) = match;
            IReadOnlyList<string> segments = remainder.Length == 0 ? [] : remainder.Split('/');
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var vaultRequest = new KeyVaultRequest(
                request.Method,
                $"{request.Scheme}://{request.Host}",
                deleted,
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

    /// <summary>Whether <paramref name="path"/> is under <paramref name="collection"/>, and the rest of it.</summary>
    private static (bool Deleted, string Remainder)? Under(string path, string collection) =>
        path.Equals(collection, StringComparison.OrdinalIgnoreCase) || path.StartsWith(collection + "/", StringComparison.OrdinalIgnoreCase)
            ? (collection == DeletedSecrets, path[collection.Length..].TrimStart('/'))
            : null;
}
