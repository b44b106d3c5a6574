"""Factories shared by every app's tests (and nothing else): real rows, valid codes, scoped users."""

import itertools

from django.test import Client

from steelwatch.accounts.models import ApiToken, User
from steelwatch.accounts.services import user_create
from steelwatch.registry.models import Enterprise
from steelwatch.registry.uscc import uscc_check_char

_sequence = itertools.count(1)


def make_uscc(division_code: str = "320412", authority: str = "91") -> str:
    body = f"{authority}{division_code[:6]}MA{next(_sequence):07d}"
    return body + uscc_check_char(body)


def make_user(
    role: str,
    division_code: str,
    *,
    department: str = "",
    username: str | None = None,
    password: str = "Steel-Watch-2026",
    **extra,
) -> User:
    username = username or f"{role}_{division_code}_{next(_sequence)}"
    return user_create(
        username=username,
        role=role,
        division_code=division_code,
        department=department,
        password=password,
        **extra,
    )


def make_enterprise(division_code: str = "320412001", **fields) -> Enterprise:
    n = next(_sequence)
    values = {
        "uscc": make_uscc(division_code),
        "name": f"测试金属制品厂{n}",
        "division_id": division_code,
        "address": f"测试路{n}号",
        "industry": "金属制品",
    }
    values.update(fields)
    return Enterprise.objects.create(**values)


def api_client(user: User) -> Client:
    _, raw = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def client_for(user: User) -> Client:
    """A browser-session client logged in as `user` (the pages' tests)."""
    client = Client()
    client.force_login(user)
    return client


def exported_file(client: Client, url: str, data: dict | None = None):
    """Start an export as the browser does (a POST that starts a background job, run at once here: the tests'
    TASKS backend must be immediate), follow it to its job page and download the file: returns (job page,
    download) — the download None when the export was refused (the refusal is the first response)."""
    from django.test import TestCase
    from django.urls import reverse

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(url, data or {})
    if started.status_code != 302:
        return started, None
    page = client.get(started["Location"])
    job = page.context["job"]
    return page, client.get(reverse("core:job_download", args=[job.pk]))


def file_bytes(response) -> bytes:
    """A download's bytes, streamed (files.serve) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content
