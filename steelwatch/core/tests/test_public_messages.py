"""No internal path in a user-facing message: a bad file through the CLI, the API and a background job is
named by its file name only, never by a server path, a Python module or a traceback."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from steelwatch.core.jobs import job_run
from steelwatch.core.models import Job
from steelwatch.core.text import public_message
from steelwatch.testing import api_client, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            "读数文件无法读取：/srv/steelwatch/data/uploads/power/ab12.csv（os error 2）",
            "读数文件无法读取：ab12.csv（os error 2）",
        ),
        ("读数文件 data/uploads/power/x.parquet 缺少必需列：kw", "读数文件 x.parquet 缺少必需列：kw"),
        ("文件 C:\\Users\\li\\台账.xlsx 无法读取", "文件 台账.xlsx 无法读取"),
        ("在 steelwatch.power.services 中出错", "在  中出错"),
        ('失败\nTraceback (most recent call last):\n  File "/x/y.py", line 3', "失败"),
        ("kVA/kW 比例；时间 2026/12/01 00:15", "kVA/kW 比例；时间 2026/12/01 00:15"),  # not paths
    ],
)
def test_public_message(raw, shown):
    assert public_message(raw) == shown


def _no_internals(text: str, *dirs) -> None:
    assert "Traceback" not in text and "steelwatch." not in text and ".py" not in text, text
    for folder in dirs:
        assert str(folder) not in text, text


def test_cli_import_of_a_missing_or_broken_workbook(tmp_path, capsys):
    for name, content in (("nope.xlsx", None), ("junk.xlsx", b"PK\x03\x04 not really a zip")):
        path = tmp_path / "deep" / "inside" / name
        if content is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        with pytest.raises(CommandError):
            call_command("import_ledger", str(path), "--json")
        message = json.loads(capsys.readouterr().out)["errors"][0]["message"]
        _no_internals(message, tmp_path)
        assert "BadZipFile" not in message and ("nope.xlsx" in message or "已损坏" in message)


def test_cli_readings_of_a_broken_file(tmp_path, settings):
    settings.READINGS_DIR, settings.UPLOAD_DIR = tmp_path / "readings", tmp_path / "uploads"
    path = tmp_path / "secret-folder" / "readings.parquet"
    path.parent.mkdir()
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(CommandError) as refused:
        call_command("ingest_readings", str(path))
    _no_internals(str(refused.value), tmp_path, "secret-folder")
    with pytest.raises(CommandError) as missing:
        call_command("ingest_readings", str(tmp_path / "secret-folder" / "none.csv"))
    _no_internals(str(missing.value), tmp_path, "secret-folder")
    assert "none.csv" in str(missing.value)


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
def test_api_readings_of_a_broken_file(tmp_path, settings, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.READINGS_DIR, settings.UPLOAD_DIR = tmp_path / "readings", tmp_path / "uploads"
    staff = make_user("department_staff", "320412", department="power_company")
    client = api_client(staff)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/power/readings", {"file": SimpleUploadedFile("meter.parquet", b"PAR1 broken PAR1")}
        )
    assert started.status_code == 202, started.content
    job = client.get(started.json()["status_url"]).json()
    run = client.get(f"/api/v1/power/runs/{started.json()['run_id']}").json()
    assert job["status"] == "failed"
    for text in (job["message"], json.dumps(run, ensure_ascii=False)):
        _no_internals(text, tmp_path, settings.UPLOAD_DIR)


def test_an_unexpected_failure_in_a_job_names_no_internals(owner):
    job = Job.objects.create(kind="ledger_import", started_by=owner, params={})

    def work(job, report):
        raise OSError("[Errno 13] Permission denied: '/srv/steelwatch/data/uploads/imports/7/x.xlsx'")

    assert job_run(job.pk, work) is None
    job.refresh_from_db()
    assert job.status == "failed" and "/srv" not in job.message and "Errno" not in job.message
    assert f"任务 #{job.pk}" in job.message
