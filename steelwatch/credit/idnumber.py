"""Resident ID numbers (居民身份证号码, GB 11643-1999): validated, encrypted at rest, matched by a keyed HMAC.

The clear number lives only in memory. The database keeps three derived values: the Fernet ciphertext
(MultiFernet over `settings.CREDIT_ID_KEYS`, newest first; `steelwatch rotate-id-keys` re-encrypts with the
newest), an HMAC-SHA256 digest for exact-match screening (its key is derived from SECRET_KEY, not from the
encryption keys, so rotating those keeps every digest valid) and the masked form 3204**********1234 shown to
everyone who does not decide entries.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
CHECK = "10X98765432"  # indexed by Σ(digit·weight) mod 11


def id_check_char(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize_id(raw) -> str:
    return str(raw or "").strip().replace(" ", "").upper()


@sensitive_variables("number")
def id_error(number: str) -> str | None:
    """Why the 18-digit number is invalid (Chinese), or None. The number itself is never in the message."""
    if len(number) != 18:
        return _("应为18位，实际为{count}位").format(count=len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return _("前17位应为数字，第18位为数字或X")
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return _("第7–14位出生日期无效")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return _("校验码错误（第18位应为“{expected}”）").format(expected=expected)
    return None


@sensitive_variables("number")
def validate_id(number: str, field: str = "person_id_number") -> str:
    number = normalize_id(number)
    error = id_error(number)
    if error:
        raise ValidationError({field: _("居民身份证号码无效：{error}").format(error=error)})
    return number


@sensitive_variables("number")
def mask_id(number: str) -> str:
    """3204**********1234: the first four (province and city) and the last four characters."""
    number = normalize_id(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "*" * len(number)


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.CREDIT_ID_KEYS])


@sensitive_variables("number")
def encrypt_id(number: str) -> str:
    return _fernet().encrypt(normalize_id(number).encode()).decode()


@sensitive_variables("raw")
def decrypt_id(token: str) -> str:
    if not token:
        return ""
    try:
        raw = _fernet().decrypt(token.encode())
    except InvalidToken as exc:
        raise RuntimeError("身份证号码无法解密：加密密钥缺失或已更换（STEELWATCH_ID_KEYS）") from exc
    return raw.decode()


def rotate_id_token(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()


def _mac_key() -> bytes:
    return hashlib.sha256(b"steelwatch-credit-id:" + settings.SECRET_KEY.encode()).digest()


@sensitive_variables("number")
def id_digest(number: str) -> str:
    """HMAC-SHA256 of the normalised number: equal numbers give equal digests, and without the key the
    digest cannot be tested against the (small, structured) space of possible ID numbers."""
    return hmac.new(_mac_key(), normalize_id(number).encode(), hashlib.sha256).hexdigest()


def keyed_digest(text: str) -> str:
    """The same keyed hash for other subject keys (screening decisions keyed by an ID number)."""
    return hmac.new(_mac_key(), text.encode(), hashlib.sha256).hexdigest()
