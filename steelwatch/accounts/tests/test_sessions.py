"""Sessions end after the idle timeout (sliding) and after the absolute limit since the login."""

import time

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    return client


def age(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_idle_session_ends_and_activity_slides_it(owner, settings):
    client = signed_in(owner)
    age(client, "seen_at", settings.SESSION_IDLE_SECONDS - 60)
    assert client.get("/").status_code == 200  # still within the idle time: the request slides it
    assert time.time() - client.session["seen_at"] < 5
    age(client, "seen_at", settings.SESSION_IDLE_SECONDS + 1)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302  # logged out, not just redirected once


def test_session_ends_at_the_absolute_limit_even_when_active(owner, settings):
    client = signed_in(owner)
    age(client, "login_at", settings.SESSION_COOKIE_AGE + 1)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
