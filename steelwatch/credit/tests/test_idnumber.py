"""GB 11643 check digit, masking, encryption at rest and the keyed digest."""

import pytest
from django.core.exceptions import ValidationError

from steelwatch.credit import idnumber

from .conftest import PERSON_ID, make_id


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("11010519491231002X", True),  # the standard's own example
        ("110105194912310021", False),  # wrong check character
        ("11010519491331002X", False),  # month 13
        ("1101051949123100", False),  # too short
        ("11010519491231002Y", False),
    ],
)
def test_check_digit(number, ok):
    assert (idnumber.id_error(number) is None) is ok


def test_mask_and_errors_never_contain_the_number():
    assert idnumber.mask_id("320412198001011234") == "3204**********1234"
    bad = PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        idnumber.validate_id(bad)
    assert bad not in str(error.value)


def test_encryption_round_trip_and_rotation(settings):
    number = make_id("32040219751212001")
    token = idnumber.encrypt_id(number)
    assert number not in token
    assert idnumber.decrypt_id(token) == number
    from cryptography.fernet import Fernet

    settings.CREDIT_ID_KEYS = [Fernet.generate_key().decode(), *settings.CREDIT_ID_KEYS]
    rotated = idnumber.rotate_id_token(token)
    settings.CREDIT_ID_KEYS = settings.CREDIT_ID_KEYS[:1]
    assert idnumber.decrypt_id(rotated) == number
    with pytest.raises(RuntimeError):
        idnumber.decrypt_id(token)


def test_digest_is_keyed_and_stable(settings):
    assert idnumber.id_digest(PERSON_ID) == idnumber.id_digest(PERSON_ID.lower())
    before = idnumber.id_digest(PERSON_ID)
    settings.SECRET_KEY = "another-secret"
    assert idnumber.id_digest(PERSON_ID) != before
