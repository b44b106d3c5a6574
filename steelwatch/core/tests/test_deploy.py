"""Safe by default: production unless STEELWATCH_DEV=true; start-up refuses missing, short or invalid keys,
naming the variable; `check --deploy` is clean with the production environment of docs/running.md."""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks

from steelwatch.core.keys import DEV_ID_KEY, DEV_SECRET_KEY, DEV_TIP_KEY


def production_env(tmp_path, **overrides) -> dict:
    """The machine's environment without any STEELWATCH_ variable, plus the documented production ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEELWATCH_", "DJANGO_"))}
    env.update(
        STEELWATCH_SECRET_KEY=secrets.token_urlsafe(64),
        STEELWATCH_TIP_KEYS=Fernet.generate_key().decode(),
        STEELWATCH_ID_KEYS=Fernet.generate_key().decode(),
        STEELWATCH_ALLOWED_HOSTS="steelwatch.example.gov.cn",
        STEELWATCH_CSRF_TRUSTED_ORIGINS="https://steelwatch.example.gov.cn",
        STEELWATCH_TRUSTED_PROXIES="127.0.0.1/32",
        STEELWATCH_REGION="120000",
        STEELWATCH_DATA_DIR=str(tmp_path),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def steelwatch(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "steelwatch.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    done = steelwatch(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues (0 silenced)" in done.stdout
    settings = steelwatch(
        production_env(tmp_path),
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)",
    )
    assert settings.stdout.splitlines()[-1].split() == ["False", "True", "True"], settings.stderr


def test_development_mode_fails_the_deploy_check(tmp_path):
    done = steelwatch(production_env(tmp_path, STEELWATCH_DEV="true"), "check", "--deploy")
    assert done.returncode != 0 and "steelwatch.E003" in done.stderr


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"STEELWATCH_SECRET_KEY": None}, "STEELWATCH_SECRET_KEY"),  # missing
        ({"STEELWATCH_SECRET_KEY": "x"}, "STEELWATCH_SECRET_KEY"),  # one character
        ({"STEELWATCH_SECRET_KEY": secrets.token_urlsafe(30)}, "STEELWATCH_SECRET_KEY"),  # 40 < 50
        ({"STEELWATCH_SECRET_KEY": DEV_SECRET_KEY}, "STEELWATCH_SECRET_KEY"),  # the committed one
        ({"STEELWATCH_TIP_KEYS": None}, "STEELWATCH_TIP_KEYS"),
        ({"STEELWATCH_TIP_KEYS": "not-a-fernet-key"}, "STEELWATCH_TIP_KEYS"),
        ({"STEELWATCH_TIP_KEYS": Fernet.generate_key().decode() + ",abc"}, "STEELWATCH_TIP_KEYS"),
        ({"STEELWATCH_TIP_KEYS": DEV_TIP_KEY}, "STEELWATCH_TIP_KEYS"),
        ({"STEELWATCH_ID_KEYS": None}, "STEELWATCH_ID_KEYS"),
        ({"STEELWATCH_ID_KEYS": "not-a-fernet-key"}, "STEELWATCH_ID_KEYS"),
        ({"STEELWATCH_ID_KEYS": DEV_ID_KEY}, "STEELWATCH_ID_KEYS"),
        ({"STEELWATCH_DEBUG": "true"}, "STEELWATCH_DEBUG"),  # debug pages only in development
        ({"STEELWATCH_SECURE_COOKIES": "false"}, "STEELWATCH_SECURE_COOKIES"),
        ({"STEELWATCH_SECOND_FACTOR": "off"}, "STEELWATCH_SECOND_FACTOR"),  # only in development
        ({"STEELWATCH_TRUSTED_PROXIES": "10.0.0.0/33"}, "STEELWATCH_TRUSTED_PROXIES"),
    ],
)
def test_start_up_refuses_a_bad_setting_naming_the_variable(tmp_path, overrides, variable):
    done = steelwatch(production_env(tmp_path, **overrides), "check")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and variable in done.stderr.splitlines()[-1]


def test_a_fresh_deployment_with_only_the_region_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEELWATCH_", "DJANGO_"))}
    done = steelwatch({**env, "STEELWATCH_REGION": "120000", "STEELWATCH_DATA_DIR": str(tmp_path)}, "check")
    assert done.returncode != 0 and "STEELWATCH_SECRET_KEY" in done.stderr


def test_the_system_check_reports_keys_changed_after_start_up(settings):
    settings.SECRET_KEY = "short"
    settings.TIP_ENCRYPTION_KEYS = ["not-a-key"]
    ids = {e.id for e in run_checks(tags=["security"])}
    assert {"steelwatch.E001", "steelwatch.E002"} <= ids
