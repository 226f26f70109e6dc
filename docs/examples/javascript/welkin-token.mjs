import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";

const refreshBeforeExpiryMs = 5 * 60_000;
const minimumReadIntervalMs = 30_000; // between reads, even while the newest token is near expiry

const vault = new SecretClient(
  process.env.KeyVault__VaultUri, // e.g. https://my-token-vault.vault.azure.net/
  new DefaultAzureCredential(),
  // Only `welkin-token sandbox` sets this: its loopback vault is not a subdomain of vault.azure.net.
  { disableChallengeResourceVerification: process.env.KeyVault__DisableChallengeResourceVerification === "true" },
);
const secretName = process.env.KeyVault__SecretName ?? "welkin-api-token";
let cached; // { token, version, expiresOn, readAt }
let reading; // the read in flight, shared by concurrent callers

// The cached { token, version }; reads the vault when the token is near expiry or Welkin rejected it.
export async function welkinToken(rejectedVersion) {
  if (reading) return reading;
  const now = Date.now();
  if (cached) {
    const stale = cached.version === rejectedVersion || !cached.expiresOn
      || now >= cached.expiresOn.getTime() - refreshBeforeExpiryMs;
    if (!stale || now - cached.readAt < minimumReadIntervalMs) return cached;
  }
  reading = vault.getSecret(secretName)
    .then((s) => (cached = { token: s.value, version: s.properties.version, expiresOn: s.properties.expiresOn, readAt: now }))
    .finally(() => { reading = undefined; });
  return reading;
}

// fetch with the bearer token; on a 401, one re-read and one retry if the vault has a newer token.
export async function callWelkin(url, init = {}) {
  const send = (token) => {
    const headers = new Headers(init.headers); // a plain object, an array of pairs or a Headers object
    headers.set("Authorization", `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
  const { token, version } = await welkinToken();
  let response = await send(token);
  if (response.status === 401) {
    const fresh = await welkinToken(version);
    if (fresh.version !== version) response = await send(fresh.token); // init.body must be a string or buffer, not a stream
  }
  return response;
}
