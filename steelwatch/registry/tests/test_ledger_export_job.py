"""The ledger export as a background job (#11 item 5): started from the ledger page, progress on the job page,
then the download under its Chinese file name; only its starter may fetch it; the file goes with the job's
other files after the retention period."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from steelwatch.core import files
from steelwatch.core.jobs import jobs_expire_files
from steelwatch.core.models import Job
from steelwatch.registry.ledger_excel import export_ledger
from steelwatch.registry.models import Enterprise, Furnace
from steelwatch.registry.services import furnace_create
from steelwatch.testing import client_for, make_enterprise, make_user

from .ledger_files import download_bytes, exported

pytestmark = [pytest.mark.django_db, pytest.mark.urls("steelwatch.registry.tests.excel_urls")]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ledger(owner):
    mine = [make_enterprise("320412001", name=f"武进导出企业{n}") for n in range(3)]
    furnace_create(
        actor=owner,
        enterprise=mine[0],
        number="ZP-01",
        kind=Furnace.Kind.MEDIUM_FREQ,
        status=Furnace.Status.IN_USE,
        capacity_t=5,
        rated_kw=3000,
    )
    theirs = make_enterprise("320411003", name="新北不应导出企业")
    return mine, theirs


def test_export_runs_as_a_job_and_downloads_for_its_starter_only(owner, ledger):
    mine, theirs = ledger
    client = client_for(owner)
    page, download = exported(client)
    job = Job.objects.get(kind="ledger_export")
    assert (job.status, job.progress, job.started_by) == ("done", 100, owner)
    assert job.message == "导出完成：企业 3 家"
    link = reverse("ledger_excel:export_download", args=[job.pk])
    assert page.status_code == 200 and f'href="{link}"' in page.content.decode()  # the download link
    assert download.status_code == 200
    name = f"台账_320412_{datetime.date.today():%Y%m%d}.xlsx"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    workbook = load_workbook(io.BytesIO(download_bytes(download)))
    firms = [row[:2] for row in workbook["企业"].iter_rows(min_row=2, values_only=True)]
    assert sorted(firms) == sorted((e.uscc, e.name) for e in mine)
    assert [row[:2] for row in workbook["设备"].iter_rows(min_row=2, values_only=True)] == [
        (mine[0].uscc, "ZP-01")
    ]
    assert theirs.uscc not in {uscc for uscc, _name in firms}
    # The file is the job's and nobody else's: a colleague of the same district and an outsider get 404.
    assert files.absolute(job.files[0]).is_file() and job.files[0].startswith(f"exports/{owner.pk}/")
    for other in (make_user("district_office", "320412"), make_user("district_office", "320411")):
        assert client_for(other).get(link).status_code == 404
        assert client_for(other).get(reverse("ledger_excel:job", args=[job.pk])).status_code == 404
    # After the retention period the file is removed with the job's other files; the link then finds nothing.
    later = timezone.now() + datetime.timedelta(days=400)
    assert jobs_expire_files(now=later) == 1
    assert client.get(link).status_code == 404


def test_export_cut_to_an_area_and_refused_outside_it(owner, outsider, ledger):
    _page, download = exported(client_for(owner), "320412001")
    assert len(list(load_workbook(io.BytesIO(download_bytes(download)))["企业"].iter_rows(min_row=2))) == 3
    assert exported(client_for(outsider), "320412")[0].status_code == 404
    assert not Job.objects.filter(started_by=outsider).exists()
    assert client_for(owner).get(reverse("ledger_excel:export")).status_code == 405  # POST only
    assert (
        client_for(make_user("tip_handler", "320412")).post(reverse("ledger_excel:export")).status_code == 403
    )


def test_export_reports_its_progress_row_by_row(tmp_path, monkeypatch):
    import steelwatch.registry.ledger_excel as ledger_excel

    for n in range(4):
        make_enterprise("320412001", name=f"进度企业{n}")
    monkeypatch.setattr(ledger_excel, "PROGRESS_ROWS", 1)
    heard = []
    export_ledger(
        tmp_path / "x.xlsx",
        Enterprise.objects.all(),
        progress=lambda done, total: heard.append((done, total)),
    )
    assert heard == [(1, 4), (2, 4), (3, 4), (4, 4)]
