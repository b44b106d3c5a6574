"""The reporter's key: an alphabet without look-alikes, grouped, accepted however it is typed."""

import random
import string

import pytest

from steelwatch.tips.crypto import RECEIPT_ALPHABET, canonical_key, key_digest, key_matches, new_key


def test_a_new_key_is_six_groups_of_five_without_look_alikes():
    keys = {new_key() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        groups = key.split("-")
        assert [len(g) for g in groups] == [5] * 6
        assert set("".join(groups)) <= set(RECEIPT_ALPHABET)
        assert not set(key) & set("0O1Il")


def test_the_key_matches_in_any_case_and_spacing_and_nothing_else_does():
    key = new_key()
    digest = key_digest("JB-TEST-0001", key)
    compact = key.replace("-", "")
    for typed in (key, key.lower(), compact, f"  {compact[:15]} {compact[15:]} ", key.replace("-", " ")):
        assert key_matches("JB-TEST-0001", typed, digest), typed
    other = compact[:-1] + ("B" if compact[-1] == "A" else "A")
    for typed in (other, compact[:-1], "", key + "A"):
        assert not key_matches("JB-TEST-0001", typed, digest), typed
    assert not key_matches("JB-TEST-0002", key, digest)  # bound to its receipt


URLSAFE = string.ascii_letters + string.digits + "-_"
LEGACY = ["".join(random.Random(seed).choices(URLSAFE, k=32)) for seed in range(20)]  # like token_urlsafe(24)


@pytest.mark.parametrize("legacy", [*LEGACY, "Ab-cd_EF" * 4])
def test_older_keys_still_match_exactly_as_they_were_issued(legacy):
    digest = key_digest("JB-OLD", legacy)
    assert canonical_key(legacy) == legacy
    assert key_matches("JB-OLD", legacy, digest)
    if legacy != legacy.swapcase():
        assert not key_matches("JB-OLD", legacy.swapcase(), digest)  # case matters for them, as before
