"""Protecting the reporter: identity encrypted at rest, secret keys stored only as an HMAC.

Identity, contact and payment details are one JSON object encrypted with MultiFernet over
`settings.TIP_ENCRYPTION_KEYS` (newest first): new data uses the newest key, any listed key decrypts,
and `steelwatch rotate-tip-keys` re-encrypts everything with the newest key before an old one is dropped.
"""

import hashlib
import hmac
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.TIP_ENCRYPTION_KEYS])


@sensitive_variables("data", "raw")
def encrypt_json(data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return _fernet().encrypt(raw).decode()


@sensitive_variables("raw")
def decrypt_json(token: str) -> dict:
    if not token:
        return {}
    try:
        raw = _fernet().decrypt(token.encode())
    except InvalidToken as exc:
        raise RuntimeError("举报人信息无法解密：加密密钥缺失或已更换（STEELWATCH_TIP_KEYS）") from exc
    return json.loads(raw)


def rotate_token(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()


def new_receipt() -> str:
    """A receipt code such as JB-7KQ2-M9XD-P4TA (60 bits: unique, easy to read out, not the secret)."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"JB-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def new_key() -> str:
    """The reporter's secret key: 192 random bits, shown once."""
    return secrets.token_urlsafe(24)


def _mac_key() -> bytes:
    return hashlib.sha256(b"steelwatch-tip-key:" + settings.SECRET_KEY.encode()).digest()


@sensitive_variables("key")
def key_digest(receipt: str, key: str) -> str:
    """HMAC-SHA256 of the key bound to its receipt. The key has 192 bits of entropy, so a slow hash adds nothing."""
    return hmac.new(_mac_key(), f"{receipt}:{key}".encode(), hashlib.sha256).hexdigest()


@sensitive_variables("key")
def key_matches(receipt: str, key: str, digest: str) -> bool:
    return hmac.compare_digest(key_digest(receipt, key or ""), digest or "")


def client_digest(ip: str) -> str:
    """Rate limits count per client without storing the client's IP address."""
    return hmac.new(_mac_key(), f"client:{ip}".encode(), hashlib.sha256).hexdigest()
