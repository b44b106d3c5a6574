"""TOTP second factor: required for revealing identities, approving rewards and deciding credit entries,
optional for the rest; enrolment with a QR code, verification after the password, recovery codes."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from steelwatch.accounts.roles import SECOND_FACTOR_CAPABILITIES, needs_second_factor
from steelwatch.core.models import AuditLog
from steelwatch.testing import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Steel-Watch-2026"


@pytest.fixture(autouse=True)
def required(settings):
    settings.SECOND_FACTOR = "required"


def password_login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_which_roles_need_it():
    assert {"tips.reveal", "tips.reward", "credit.decide"} <= SECOND_FACTOR_CAPABILITIES
    assert needs_second_factor(make_user("tip_handler", "320412"))  # reveals identities
    assert needs_second_factor(make_user("district_office", "320412"))  # approves rewards
    assert not needs_second_factor(make_user("viewer", "320412"))
    assert not needs_second_factor(make_user("grid_officer", "320412001"))


def test_a_tip_handler_enrols_then_verifies_at_each_login():
    handler = make_user("tip_handler", "320412", username="otp_handler")
    client = password_login("otp_handler")
    response = client.get("/tips/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/setup/")
    setup = client.get(response["Location"]).content.decode()
    assert (
        'src="data:image/svg+xml' in setup
        and "http" not in re.search(r'src="(data:[^"]+)"', setup).group(1)[:40]
    )
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', setup).group(1)
    assert len(secret) >= 32

    wrong = client.post("/accounts/otp/setup/", {"token": "000000" if code(device) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    done = client.post("/accounts/otp/setup/", {"token": code(device), "next": "/tips/"})
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.content.decode())
    assert len(codes) == 8 and client.get("/tips/").status_code == 200
    assert AuditLog.objects.filter(action="second_factor_enrol", target_id=str(handler.pk)).exists()

    again = password_login("otp_handler")
    response = again.get("/tips/")
    assert response["Location"].startswith("/accounts/otp/verify/")
    # (a wrong code here would throttle the device for a while: django-otp slows down guessing)
    device.refresh_from_db()
    assert (
        again.post("/accounts/otp/verify/", {"token": code(device, drift=1), "next": "/tips/"}).status_code
        == 302
    )
    assert again.get("/tips/").status_code == 200

    third = password_login("otp_handler")  # a recovery code works once
    assert third.post("/accounts/otp/verify/", {"token": codes[0]}).status_code == 302
    assert third.get("/tips/").status_code == 200
    fourth = password_login("otp_handler")
    assert "不正确" in fourth.post("/accounts/otp/verify/", {"token": codes[0]}).content.decode()
    assert fourth.get("/tips/").status_code == 302


def test_optional_for_others_but_verified_once_enrolled():
    viewer = make_user("viewer", "320412", username="otp_viewer")
    client = password_login("otp_viewer")
    assert client.get("/").status_code == 200  # no second factor needed
    page = client.get("/accounts/otp/setup/")  # but one may enrol
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=viewer, confirmed=False)
    client.post("/accounts/otp/setup/", {"token": code(device)})
    later = password_login("otp_viewer")
    assert later.get("/")["Location"].startswith("/accounts/otp/verify/")


def test_the_public_channel_and_the_api_never_ask_for_it(owner):
    from steelwatch.testing import api_client

    assert Client().get("/public/tips/").status_code == 200
    assert api_client(owner).get("/api/v1/enterprises").status_code == 200
