"""Exports are safe to open: text that a spreadsheet would read as a formula is written as text and imports
back as the same text; a control character stored before the text rule no longer breaks an export, the
consolidation job or the tips workbook. Real xlsx files, written and read back."""

import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from steelwatch.registry.consolidation import ledger_consolidate
from steelwatch.registry.imports import ledger_import
from steelwatch.registry.ledger_excel import export_ledger
from steelwatch.registry.models import Enterprise, Furnace
from steelwatch.registry.tests.ledger_files import LETTER_LED, TOWNSHIP, download_bytes, exported

pytestmark = pytest.mark.django_db

HOSTILE = {
    "name": "=1+2",
    "address": "+86 湖塘镇",
    "legal_representative": "@SUM(A1)",
    "industry": "-铸造",
}


def _ledger(**names):
    enterprise = Enterprise.objects.create(uscc=LETTER_LED[0], division_id=TOWNSHIP, **names)
    Furnace.objects.create(
        enterprise=enterprise,
        number="=HYPERLINK(1)",
        kind="medium_freq",
        capacity_t=2,
        rated_kw=1500,
        purpose="@熔炼",
    )
    return enterprise


def _formulas(path) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets."""
    with zipfile.ZipFile(path) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_formula_like_text_is_written_as_text_and_imports_back(tmp_path, owner):
    _ledger(**HOSTILE)
    path = export_ledger(tmp_path / "ledger.xlsx", Enterprise.objects.all())
    assert _formulas(path) == []
    sheet = load_workbook(path)["企业"]
    row = {
        sheet.cell(row=1, column=c).value: sheet.cell(row=2, column=c) for c in range(1, sheet.max_column + 1)
    }
    for header, value in (
        ("企业名称", "=1+2"),
        ("详细地址", "+86 湖塘镇"),
        ("法定代表人", "@SUM(A1)"),
        ("行业", "-铸造"),
    ):
        assert (row[header].value, row[header].data_type, row[header].quotePrefix) == (value, "s", True)
    furnaces = load_workbook(path)["设备"]
    assert furnaces["B2"].value == "=HYPERLINK(1)" and furnaces["B2"].data_type == "s"

    # The same file imports back as the same text: nothing changes …
    result = ledger_import(path=path, actor=owner)
    assert (result.ok, result.created, result.updated) == (True, 0, 0), result.errors
    # … and into an empty ledger it creates the enterprise with its names as text.
    Enterprise.objects.all().delete()
    result = ledger_import(path=path, actor=owner)
    assert (result.ok, result.created) == (True, 2), result.errors
    enterprise = Enterprise.objects.get()
    assert {key: getattr(enterprise, key) for key in HOSTILE} == HOSTILE
    assert enterprise.furnaces.get().number == "=HYPERLINK(1)"


def test_the_export_page_writes_formula_like_text_as_text(client, owner, tmp_path):
    _ledger(name="=1+2")
    client.force_login(owner)
    response = exported(client)[1]
    assert response.status_code == 200
    path = tmp_path / "download.xlsx"
    path.write_bytes(download_bytes(response))
    assert _formulas(path) == []
    assert load_workbook(path)["企业"]["B2"].value == "=1+2"


def test_a_control_character_stored_earlier_does_not_break_exports(tmp_path, owner, city_user, settings):
    enterprise = _ledger(name="武进精密铸造")
    # rows stored before the text rule (a direct write: every input path refuses these now; PostgreSQL
    # cannot hold NUL at all)
    Enterprise.objects.filter(pk=enterprise.pk).update(
        name="武进\x07精密\x01铸造", address="湖塘\x1b镇", on_watchlist=True, watchlist_reason="夜间\x0c冶炼"
    )
    path = export_ledger(tmp_path / "ledger.xlsx", Enterprise.objects.all())
    row = load_workbook(path)["企业"][2]
    assert row[1].value == "武进精密铸造" and row[3].value == "湖塘镇"

    settings.DATA_DIR = tmp_path
    snapshot = ledger_consolidate(actor=city_user, period="2026-12", division_code="320400")
    workbook = load_workbook(tmp_path / snapshot.file_path)
    assert workbook["重点监控企业清单"]["B2"].value == "武进精密铸造"
    assert snapshot.watchlist_count == 1

    call_command("export_ledger", str(tmp_path / "cli.xlsx"), "--division", "320412")
    assert load_workbook(tmp_path / "cli.xlsx")["企业"]["B2"].value == "武进精密铸造"
