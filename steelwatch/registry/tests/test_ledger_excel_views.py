"""The ledger Excel pages through Django's test client: upload → preview → confirm → job; export; consolidation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from steelwatch.core.models import Job
from steelwatch.registry.models import Enterprise, LedgerSnapshot
from steelwatch.testing import make_enterprise, make_user

from .ledger_files import (
    LETTER_LED,
    download_bytes,
    enterprise_row,
    exported,
    furnace_row,
    write_ledger_file,
    wrong_check,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("steelwatch.registry.tests.excel_urls")]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run tasks in-process (the root conftest's STEELWATCH_TASKS=immediate comes after settings load)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def upload(client, path):
    """Upload a workbook; its preview job runs (in-process) when the request's transaction commits."""
    with open(path, "rb") as stream, TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("ledger_excel:import"), {"file": SimpleUploadedFile(path.name, stream.read())}
        )


def test_upload_preview_marks_bad_cells_and_writes_nothing(client, owner, tmp_path):
    client.force_login(owner)
    assert client.get(reverse("ledger_excel:import")).status_code == 200
    bad = wrong_check("91320412MA0000099")
    path = write_ledger_file(
        tmp_path / "bad.xlsx",
        [
            enterprise_row(LETTER_LED[0], 1),
            enterprise_row(bad, 2),
            enterprise_row(LETTER_LED[1], 3, division="999999"),
        ],
    )
    response = upload(client, path)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'class="cell-bad"' in page
    assert "行政区划代码 999999 不存在（C列）" in page and "校验码错误" in page
    assert 'data-row="3"' in page and 'data-row="4"' in page and 'data-row="2"' not in page
    assert "确认导入" not in page
    assert Enterprise.objects.count() == 0


def test_confirm_runs_the_import_as_a_job(client, owner, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(owner)
    path = write_ledger_file(
        tmp_path / "ok.xlsx",
        [enterprise_row(c, i) for i, c in enumerate(LETTER_LED)],
        [furnace_row(LETTER_LED[0])],
    )
    preview_url = upload(client, path).url
    page = client.get(preview_url).content.decode()
    assert "将新增 5 条、更新 0 条" in page and "确认导入" in page
    assert Enterprise.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url)
    job = Job.objects.get(kind="ledger_import")
    assert response.url == reverse("ledger_excel:job", args=[job.pk])
    assert (job.status, job.progress, job.message) == (
        "done",
        100,
        "导入完成：新增 5 条、更新 0 条（企业与设备合计）",
    )
    assert job.result["created"] == 5
    assert "导入完成：新增 5 条" in client.get(response.url).content.decode()
    assert set(Enterprise.objects.values_list("uscc", flat=True)) == set(LETTER_LED)


def test_bad_upload_is_refused(client, owner):
    client.force_login(owner)
    response = client.post(reverse("ledger_excel:import"), {"file": SimpleUploadedFile("a.csv", b"x,y")})
    assert response.status_code == 200 and "仅支持 .xlsx" in response.content.decode()


def test_outsider_cannot_see_preview_or_job_nor_import_into_another_district(
    client, owner, outsider, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    path = write_ledger_file(tmp_path / "ok.xlsx", [enterprise_row(LETTER_LED[0], 1)])
    preview_url = upload(client, path).url
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.post(preview_url).url

    client.force_login(outsider)
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert client.get(job_url).status_code == 404
    page = client.get(
        upload(client, write_ledger_file(tmp_path / "x.xlsx", [enterprise_row(LETTER_LED[1], 2)])).url
    )
    assert "行政区划代码 320412001 不在您的管辖范围内（C列）" in page.content.decode()
    assert Enterprise.objects.count() == 1


def test_export_downloads_only_what_the_user_may_see(client, owner, outsider):
    mine = make_enterprise("320412001")
    theirs = make_enterprise("320411003")

    client.force_login(owner)
    _page, response = exported(client)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(download_bytes(response)))["企业"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [mine.uscc]
    assert exported(client, "320412001")[1].status_code == 200

    client.force_login(outsider)
    assert exported(client, "320412")[0].status_code == 404
    sheet = load_workbook(io.BytesIO(download_bytes(exported(client)[1])))["企业"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [theirs.uscc]


def test_template_download(client, owner):
    client.force_login(owner)
    response = client.get(reverse("ledger_excel:import_template"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == [
        "说明",
        "企业",
        "设备",
        "行政区划代码表",
    ]


def test_viewer_may_export_but_not_import(client):
    viewer = make_user("viewer", "320412")
    client.force_login(viewer)
    assert exported(client)[1].status_code == 200
    assert client.get(reverse("ledger_excel:import")).status_code == 403


def test_consolidation_page_runs_and_lists_snapshots(
    client, city_user, owner, django_capture_on_commit_callbacks
):
    make_enterprise("320412001", on_watchlist=True)
    client.force_login(city_user)
    assert client.get(reverse("ledger_excel:consolidation")).status_code == 200
    assert (
        "应为 YYYY-06"
        in client.post(reverse("ledger_excel:consolidation"), {"period": "2026-07"}).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger_excel:consolidation"), {"period": "2026-12"})
    assert Job.objects.get(kind="ledger_consolidate").status == "done"
    snapshot = LedgerSnapshot.objects.get()
    assert (snapshot.period, snapshot.division_id, snapshot.watchlist_count) == ("2026-12", "320400", 1)
    assert response.status_code == 302
    page = client.get(reverse("ledger_excel:consolidation")).content.decode()
    download = reverse("ledger_excel:consolidation_download", args=[snapshot.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert "重点监控企业清单" in load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames

    other_city = make_user("city_office", "320500", username="suzhou")  # 苏州市: another city office
    client.force_login(other_city)
    assert client.get(download).status_code == 404
    assert download not in client.get(reverse("ledger_excel:consolidation")).content.decode()
    client.force_login(owner)  # a district office does not consolidate
    assert client.get(reverse("ledger_excel:consolidation")).status_code == 403
