"""`/healthz`: open without a login, 200 while the database answers, 503 (and nothing else said) when it fails."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_without_login():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_health_is_503_when_the_database_fails():
    with mock.patch(
        "steelwatch.core.views.connection.cursor", side_effect=DatabaseError("boom: /srv/secret")
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert b"secret" not in response.content and b"boom" not in response.content
