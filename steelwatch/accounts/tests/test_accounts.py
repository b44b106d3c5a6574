import pytest
from django.test import Client

from steelwatch.accounts.roles import can
from steelwatch.core.access import scope_to_jurisdiction
from steelwatch.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def test_outsider_sees_no_enterprise_of_another_district(owner, outsider, enterprise):
    assert list(scope_to_jurisdiction(Enterprise.objects.all(), owner)) == [enterprise]
    assert list(scope_to_jurisdiction(Enterprise.objects.all(), outsider)) == []


def test_login_locks_out_after_repeated_failures(owner, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "owner", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "owner", "password": "Steel-Watch-2026"})
    assert "已临时锁定" in response.content.decode()


def test_login_with_right_password_reaches_home(owner):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "owner", "password": "Steel-Watch-2026"}, follow=True
    )
    assert response.status_code == 200
    assert "区县领导小组办公室工作台" in response.content.decode()


def test_anonymous_user_is_sent_to_login():
    response = Client().get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_roles_capabilities(owner, outsider):
    assert can(owner, "closure.signoff")
    assert not can(owner, "tips.reveal")


@pytest.mark.django_db(transaction=True)  # a management command closes the connection when it ends
def test_create_user_command_prints_token_last(capsys):
    from steelwatch.accounts.models import ApiToken
    from steelwatch.cli import main

    main(
        [
            "steelwatch",
            "create-user",
            "power1",
            "--role",
            "department_staff",
            "--division",
            "320412",
            "--department",
            "power_company",
            "--token",
        ]
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.authenticate(last).user.username == "power1"
