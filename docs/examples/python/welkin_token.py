import os
from datetime import datetime, timedelta, timezone
from threading import Lock

import requests
from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient

REFRESH_BEFORE_EXPIRY = timedelta(minutes=5)
MINIMUM_READ_INTERVAL = timedelta(seconds=30)  # between reads, whatever the last one found (a token or an error)

vault = SecretClient(
    os.environ["KeyVault__VaultUri"],  # e.g. https://my-token-vault.vault.azure.net/
    DefaultAzureCredential(),
    # Only `welkin-token sandbox` sets this: its loopback vault is not a subdomain of vault.azure.net.
    verify_challenge_resource=os.environ.get("KeyVault__DisableChallengeResourceVerification") != "true",
    retry_total=2,  # the SDK's own retries of 429 and 5xx, within one read
)
SECRET_NAME = os.environ.get("KeyVault__SecretName", "welkin-api-token")
_lock, _cached, _last_read = Lock(), None, None  # (token, version, expires_on); (began, error or None)


def welkin_token(rejected_version=None):
    """The cached (token, version, expires_on); reads the vault when the token is near expiry or Welkin rejected it."""
    global _cached, _last_read
    with _lock:  # one read at a time; callers that waited here get its result
        now = datetime.now(timezone.utc)
        valid = _cached is not None and _cached[2] is not None and now < _cached[2]
        if valid and _cached[1] != rejected_version and now < _cached[2] - REFRESH_BEFORE_EXPIRY:
            return _cached
        if _last_read is not None and now - _last_read[0] < MINIMUM_READ_INTERVAL:
            if _last_read[1] is None or valid:
                return _cached
            raise _last_read[1]  # the last read failed (404, 403, 429, 503, ...): its error, without a read
        try:
            secret = vault.get_secret(SECRET_NAME)
        except Exception as error:
            _last_read = (now, error)
            if valid:
                return _cached
            raise
        _cached, _last_read = (secret.value, secret.properties.version, secret.properties.expires_on), (now, None)
        return _cached


def call_welkin(method, url, headers=None, **kwargs):
    """requests.request with the bearer token; on a 401, one re-read and one retry if the vault has a newer token."""
    def send(token):
        return requests.request(method, url, headers={**(headers or {}), "Authorization": f"Bearer {token}"}, **kwargs)

    token, version, _ = welkin_token()
    response = send(token)
    if response.status_code == 401:
        fresh, fresh_version, _ = welkin_token(rejected_version=version)
        if fresh_version != version:
            response = send(fresh)  # a body sent twice must be bytes or str, not a stream
    return response
