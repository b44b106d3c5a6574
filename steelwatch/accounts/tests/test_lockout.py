"""Lock-outs per account, per client and per pair; unknown usernames answered and timed like known ones; the
client address from X-Forwarded-For only behind a trusted proxy."""

import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, RequestFactory

from steelwatch.core.clients import client_address

pytestmark = pytest.mark.django_db
PASSWORD = "Steel-Watch-2026"
CALLS = {"n": 0}


class CountingHasher(PBKDF2PasswordHasher):
    iterations = 1000

    def encode(self, password, salt, iterations=None):
        CALLS["n"] += 1
        return super().encode(password, salt, iterations)


def login(username, password, ip="203.0.113.5", **headers):
    client = Client(REMOTE_ADDR=ip, headers=headers)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response


def body(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", response.content.decode())  # the CSRF tokens differ


def test_a_stranger_locks_only_himself_out_of_an_account(owner, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert "用户名或密码错误" in login("owner", "wrong", ip="198.51.100.7").content.decode()
    assert "已临时锁定" in login("owner", PASSWORD, ip="198.51.100.7").content.decode()
    assert login("owner", PASSWORD, ip="203.0.113.9").status_code == 302  # the owner, elsewhere


def test_unknown_usernames_get_the_same_answers_and_the_same_hashing(owner, settings):
    settings.PASSWORD_HASHERS = ["steelwatch.accounts.tests.test_lockout.CountingHasher"]
    answers = {}
    for name in ("owner", "nobody-here"):
        CALLS["n"] = 0
        replies = [
            body(login(name, "wrong", ip=f"192.0.2.{len(name)}")) for _ in range(settings.LOGIN_FAILURE_LIMIT)
        ]
        locked = body(login(name, "wrong", ip=f"192.0.2.{len(name)}"))
        answers[name] = (replies[0].replace(name, "NAME"), locked.replace(name, "NAME"), CALLS["n"])
    assert answers["owner"][:2] == answers["nobody-here"][:2]
    assert "已临时锁定" in answers["owner"][1]
    assert answers["owner"][2] == answers["nobody-here"][2] == settings.LOGIN_FAILURE_LIMIT  # one hash a try


def test_one_client_trying_many_names_is_locked_out(owner, settings):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 6
    for i in range(6):
        login(f"guess{i}", "wrong", ip="198.51.100.20")
    assert "已临时锁定" in login("owner", PASSWORD, ip="198.51.100.20").content.decode()


def test_guessing_one_account_from_many_addresses_locks_the_account(owner, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    for i in range(8):
        login("owner", "wrong", ip=f"198.51.100.{100 + i}")
    assert "已临时锁定" in login("owner", PASSWORD, ip="203.0.113.50").content.decode()


def test_forwarded_for_is_read_only_from_a_trusted_proxy(settings):
    import ipaddress

    factory = RequestFactory()
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    behind = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8, 10.0.0.9")
    assert client_address(behind) == "203.0.113.8"  # the rightmost address that is not a proxy
    spoofed = factory.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert client_address(spoofed) == "198.51.100.1"
    garbled = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8, junk")
    assert client_address(garbled) == "10.0.0.2"


def test_behind_the_proxy_each_client_has_its_own_lock_and_allowance(owner, settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login("owner", "wrong", ip="127.0.0.1", **{"X-Forwarded-For": "198.51.100.66"})
    assert (
        "已临时锁定"
        in login("owner", PASSWORD, ip="127.0.0.1", **{"X-Forwarded-For": "198.51.100.66"}).content.decode()
    )
    assert login("owner", PASSWORD, ip="127.0.0.1", **{"X-Forwarded-For": "198.51.100.67"}).status_code == 302
