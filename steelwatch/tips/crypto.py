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


KEY_GROUPS, KEY_GROUP_SIZE = 6, 5  # 30 symbols of a 32-symbol alphabet: 150 random bits


def new_key() -> str:
    """The reporter's secret key, shown once: 150 random bits written as six groups of five capitals and digits
    without look-alikes (no 0/O, no 1/I), e.g. 7KQ2M-9XDP4-TAHWE-… — easy to copy down or read out."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(KEY_GROUPS * KEY_GROUP_SIZE))
    return "-".join(chars[i : i + KEY_GROUP_SIZE] for i in range(0, len(chars), KEY_GROUP_SIZE))


def canonical_key(key: str) -> str:
    """The form a key is hashed in. A key of the grouped alphabet is accepted however it was typed: in lower case,
    with or without the hyphens, with spaces. Anything else (the older 32-character keys) is taken as it is, trimmed."""
    key = (key or "").strip()
    compact = "".join(key.upper().replace("-", " ").split())
    if len(compact) == KEY_GROUPS * KEY_GROUP_SIZE and all(c in RECEIPT_ALPHABET for c in compact):
        return compact
    return key


def _mac_key() -> bytes:
    return hashlib.sha256(b"steelwatch-tip-key:" + settings.SECRET_KEY.encode()).digest()


@sensitive_variables("key")
def key_digest(receipt: str, key: str) -> str:
    """HMAC-SHA256 of the key (in its canonical form) bound to its receipt. The key has 150 bits of entropy, so a
    slow hash adds nothing."""
    return hmac.new(_mac_key(), f"{receipt}:{canonical_key(key)}".encode(), hashlib.sha256).hexdigest()


@sensitive_variables("key")
def key_matches(receipt: str, key: str, digest: str) -> bool:
    return hmac.compare_digest(key_digest(receipt, key or ""), digest or "")


def client_digest(ip: str) -> str:
    """Rate limits count per client without storing the client's IP address."""
    return hmac.new(_mac_key(), f"client:{ip}".encode(), hashlib.sha256).hexdigest()
