import os
from datetime import datetime, timedelta, timezone
from threading import Lock

import requests
from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient

REFRESH_BEFORE_EXPIRY = timedelta(minutes=5)
MINIMUM_READ_INTERVAL = timedelta(seconds=30)  # between reads, even while the newest token is near expiry

vault = SecretClient(
    os.environ["KeyVault__VaultUri"],  # e.g. https://my-token-vault.vault.azure.net/
    DefaultAzureCredential(),
    # Only `welkin-token sandbox` sets this: its loopback vault is not a subdomain of vault.azure.net.
    verify_challenge_resource=os.environ.get("KeyVault__DisableChallengeResourceVerification") != "true",
)
SECRET_NAME = os.environ.get("KeyVault__SecretName", "welkin-api-token")
_lock, _cached = Lock(), None  # (token, version, expires_on, read_at)


def welkin_token(rejected_version=None):
    """The cached (token, version, ...); reads the vault when the token is near expiry or Welkin rejected it."""
    global _cached
    with _lock:  # one read at a time; callers that waited here get its result
        now = datetime.now(timezone.utc)
        if _cached is not None:
            _, version, expires_on, read_at = _cached
            stale = version == rejected_version or expires_on is None or now >= expires_on - REFRESH_BEFORE_EXPIRY
            if not stale or now - read_at < MINIMUM_READ_INTERVAL:
                return _cached
        secret = vault.get_secret(SECRET_NAME)
        _cached = (secret.value, secret.properties.version, secret.properties.expires_on, now)
        return _cached


def call_welkin(method, url, headers=None, **kwargs):
    """requests.request with the bearer token; on a 401, one re-read and one retry if the vault has a newer token."""
    def send(token):
        return requests.request(method, url, headers={**(headers or {}), "Authorization": f"Bearer {token}"}, **kwargs)

    token, version, _, _ = welkin_token()
    response = send(token)
    if response.status_code == 401:
        fresh, fresh_version, _, _ = welkin_token(rejected_version=version)
        if fresh_version != version:
            response = send(fresh)  # a body sent twice must be bytes or str, not a stream
    return response
