import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";

const refreshBeforeExpiryMs = 5 * 60_000;
const minimumReadIntervalMs = 30_000; // between reads, whatever the last one found (a token or an error)

const vault = new SecretClient(
  process.env.KeyVault__VaultUri, // e.g. https://my-token-vault.vault.azure.net/
  new DefaultAzureCredential(),
  {
    // Only `welkin-token sandbox` sets this: its loopback vault is not a subdomain of vault.azure.net.
    disableChallengeResourceVerification: process.env.KeyVault__DisableChallengeResourceVerification === "true",
    retryOptions: { maxRetries: 2 }, // the SDK's own retries of 429 and 5xx, within one read
  },
);
const secretName = process.env.KeyVault__SecretName ?? "welkin-api-token";
let cached; // { token, version, expiresOn }
let lastRead; // { began, error }
let reading; // the read in flight, shared by concurrent callers

// The cached { token, version }; reads the vault when the token is near expiry or Welkin rejected it.
export async function welkinToken(rejectedVersion) {
  if (reading) return reading;
  const now = Date.now();
  const valid = cached?.expiresOn && now < cached.expiresOn.getTime();
  if (valid && cached.version !== rejectedVersion && now < cached.expiresOn.getTime() - refreshBeforeExpiryMs) return cached;
  if (lastRead && now - lastRead.began < minimumReadIntervalMs) {
    if (!lastRead.error || valid) return cached;
    throw lastRead.error; // the last read failed (404, 403, 429, 503, ...): its error, without a read
  }
  reading = vault.getSecret(secretName).then(
    (s) => {
      lastRead = { began: now };
      return (cached = { token: s.value, version: s.properties.version, expiresOn: s.properties.expiresOn });
    },
    (error) => {
      lastRead = { began: now, error };
      if (valid) return cached;
      throw error;
    },
  ).finally(() => { reading = undefined; });
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
