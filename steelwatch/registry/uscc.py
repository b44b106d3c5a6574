"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters over 0-9 and the capitals except I, O, Z, S, V: registration authority (1 — e.g. 9
for market regulation, 5 civil affairs, N agriculture, Y other), organisation type (1), division code of
the registering authority (6 digits), organisation code (9) and a check character. The check character
is 31 − (Σ value·3^(i−1) mod 31) mod 31 over the first 17. Letter-led codes (N, Y, A …) are valid;
python-stdnum wrongly rejects them, so the check is done here.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
REGISTRATION_AUTHORITIES = set("123456789ANY")


def uscc_check_char(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """The reason the code is invalid, in Chinese, or None when it is valid."""
    if len(code) != 18:
        return _("应为18位，实际为{count}位").format(count=len(code))
    bad = [ch for ch in code if ch not in VALUES]
    if bad:
        return _("含有非法字符“{value}”（不得使用 I、O、Z、S、V 及小写字母）").format(value=bad[0])
    if code[0] not in REGISTRATION_AUTHORITIES:
        return _("第1位登记管理部门代码“{value}”无效").format(value=code[0])
    if not code[2:8].isdigit():
        return _("第3–8位应为登记管理机关行政区划码（数字）")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return _("校验码错误：第18位应为“{expected}”，实际为“{value}”").format(
            expected=expected, value=code[17]
        )
    return None


def normalize_uscc(raw) -> str:
    return str(raw or "").strip().upper().replace(" ", "")


def code_key(raw) -> tuple[str, str] | None:
    """The key a search text is, when it is one: ("uscc", code) for a whole 18-character code, ("registration_number",
    number) for a legacy 15-digit registration number; None for anything else (a fragment of a name). The rule
    every list's search shares (the ledger's `ledger_search`, the credit list): a key is looked up exactly, by
    its index, never with a case-blind LIKE over every row."""
    code = normalize_uscc(raw)
    if len(code) == 18 and code.isascii() and code.isalnum():
        return "uscc", code
    if len(code) == 15 and code.isascii() and code.isdigit():
        return "registration_number", code
    return None


def key_q(raw, prefix: str = ""):
    """A Q on the enterprise key the search text is (`prefix` leads to the enterprise, e.g. "enterprise__"),
    or None when it is not a key (code_key)."""
    from django.db.models import Q

    key = code_key(raw)
    return Q(**{prefix + key[0]: key[1]}) if key else None


def validate_uscc(value: str) -> None:
    error = uscc_error(value)
    if error:
        raise ValidationError(_("统一社会信用代码无效：{error}").format(error=error), code="invalid_uscc")
