"""Valid identifiers for demo enterprises: USCC (GB 32100-2015), organisation code (GB 11714), and the
legacy 15-digit registration number (GB/T 17710 MOD 11,10 check digit)."""

import random

from steelwatch.registry.uscc import ALPHABET, uscc_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(body8: str) -> str:
    """An 8-digit organisation code with its GB 11714 check character (0-9 or X)."""
    total = sum(int(d) * w for d, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def registration_number(division6: str, serial: int) -> str:
    """A legacy 15-digit business registration number (工商注册号) with its MOD 11,10 check digit."""
    body = f"{division6}{serial:08d}"
    product = 10
    for digit in body:
        total = (product + int(digit)) % 10 or 10
        product = total * 2 % 11
    return body + str((11 - product) % 10)


def make_uscc(rng: random.Random, division6: str, *, authority: str = "91", legacy: bool = False) -> str:
    """A valid USCC. New-style bodies start with MA (post-2015); legacy ones embed an old organisation code."""
    if legacy:
        org = organisation_code(f"{rng.randrange(10_000_000, 80_000_000):08d}")
    else:
        org = "MA" + "".join(rng.choice(ALPHABET[:31]) for _ in range(7))
    body = f"{authority}{division6}{org}"
    return body + uscc_check_char(body)
