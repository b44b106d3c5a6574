"""The ledger import behind a switch: rows are written in batches invisible to every default manager, appear
at once, and a failure in the middle leaves nothing; the web confirm step reuses the preview's parse."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from steelwatch.core.models import AuditLog, Job, PendingImport
from steelwatch.registry import imports
from steelwatch.registry.models import Enterprise, Furnace

from .ledger_files import enterprise_row, furnace_row, uscc, write_ledger_file

pytestmark = pytest.mark.django_db
CODES = [uscc(f"91320412MC{n:07d}") for n in range(30)]


def ledger(tmp_path):
    rows = [enterprise_row(c, i) for i, c in enumerate(CODES)]
    return write_ledger_file(tmp_path / "l.xlsx", rows, [furnace_row(CODES[0]), furnace_row(CODES[1])])


def test_rows_are_invisible_until_the_switch(tmp_path, monkeypatch):
    seen = {}
    switch = imports._switch

    def watched(plan, actor, batch):
        seen["visible"] = Enterprise.objects.count()
        seen["staged"] = Enterprise.staged.filter(import_batch=batch).count()
        seen["furnaces"] = Furnace.staged.filter(import_batch=batch).count()
        seen["audit"] = AuditLog.staged.filter(import_batch=batch).count()
        switch(plan, actor, batch)

    monkeypatch.setattr(imports, "_switch", watched)
    result = imports.ledger_import(path=ledger(tmp_path), every=10)
    assert result.ok and result.created == 32
    assert seen == {"visible": 0, "staged": 30, "furnaces": 2, "audit": 32}
    assert Enterprise.objects.count() == 30 and Furnace.objects.count() == 2
    assert not PendingImport.objects.exists()
    assert imports.ledger_import_discard(Enterprise.objects.first().import_batch) == 0  # switched on: kept
    assert Enterprise.objects.count() == 30
    assert AuditLog.objects.filter(action="create", target_type="registry.enterprise").count() == 30
    furnace = Furnace.objects.get(enterprise__uscc=CODES[0])
    assert list(furnace.status_history.values_list("note", flat=True)) == ["登记"]


def test_a_failure_in_the_middle_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("断电")

    monkeypatch.setattr(imports, "_switch", broken)
    with pytest.raises(RuntimeError):
        imports.ledger_import(path=ledger(tmp_path), every=10)
    assert Enterprise.staged.count() == 0 and Furnace.staged.count() == 0 and AuditLog.staged.count() == 0
    assert not PendingImport.objects.exists()


def test_updates_are_applied_in_the_switch_and_audited(tmp_path):
    path = ledger(tmp_path)
    imports.ledger_import(path=path)
    rows = [enterprise_row(c, i, status="停产" if i == 3 else "在营") for i, c in enumerate(CODES)]
    result = imports.ledger_import(path=write_ledger_file(tmp_path / "again.xlsx", rows))
    assert (result.created, result.updated) == (0, 1)
    changed = Enterprise.objects.get(uscc=CODES[3])
    assert changed.status == "idle"
    audit = AuditLog.objects.filter(target_id=str(changed.pk), action="update").get()
    assert audit.before["status"] == "operating" and audit.after["status"] == "idle"


@pytest.mark.urls("steelwatch.registry.tests.excel_urls")
def test_the_confirm_step_reuses_the_previewed_parse(client, owner, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(owner)
    with open(ledger(tmp_path), "rb") as stream, TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("ledger_excel:import"), {"file": SimpleUploadedFile("l.xlsx", stream.read())}
        )
    preview = Job.objects.get(kind="ledger_preview")
    assert preview.status == "done" and preview.result["created"] == 32
    token = preview.params["token"]
    imports.upload_path(owner.pk, token).write_bytes(b"no longer a workbook")  # not read again
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(response.url)
    job = Job.objects.get(kind="ledger_import")
    assert job.status == "done" and job.result["created"] == 32
    assert Enterprise.objects.count() == 30
