"""Workbook caps (core/sheets.py): a small file that unpacks to a million rows is refused in seconds and in
small memory, before anything of it is kept; a workbook within the caps reads as before."""

import time
import tracemalloc

import pytest

from steelwatch.core.sheets import ErrorLog, read_workbook
from steelwatch.registry.imports import ledger_import
from steelwatch.registry.ledger_excel import LEDGER_SHEETS

from .workbooks import row_bomb


def test_a_million_row_bomb_is_refused_quickly_and_in_small_memory(tmp_path):
    path = row_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 200_000  # ~150 KB on disk
    log = ErrorLog()
    tracemalloc.start()
    started = time.monotonic()
    tables = read_workbook(path, LEDGER_SHEETS, log)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert tables == {}
    assert [e.message for e in log.errors] == [
        "工作表行数超过上限（每个工作表最多 200,000 行），未读取；请拆分为多个文件分批导入"
    ]
    assert elapsed < 10, elapsed
    assert peak < 20 * 2**20, peak


@pytest.mark.django_db
def test_the_import_refuses_it_and_writes_nothing(tmp_path):
    from steelwatch.registry.models import Enterprise

    result = ledger_import(path=row_bomb(tmp_path / "bomb.xlsx"))
    assert not result.ok and "行数超过上限" in result.errors[0].message
    assert Enterprise.staged.count() == 0


def test_the_row_cap_is_a_setting_and_a_lying_dimension_does_not_help(tmp_path, settings):
    settings.WORKBOOK_MAX_ROWS = 5_000
    log = ErrorLog()
    read_workbook(row_bomb(tmp_path / "b.xlsx", rows=10_000), LEDGER_SHEETS, log)
    assert "最多 5,000 行" in log.errors[0].message


def test_the_unpacked_size_cap(tmp_path, settings):
    settings.WORKBOOK_MAX_UNPACKED_BYTES = 2**20
    log = ErrorLog()
    read_workbook(row_bomb(tmp_path / "b.xlsx", rows=100_000), LEDGER_SHEETS, log)
    assert log.errors[0].message.startswith("文件解压后过大（")


def test_within_the_caps_the_sheet_is_read(tmp_path, settings):
    settings.WORKBOOK_MAX_ROWS = 20_000
    log = ErrorLog()
    read_workbook(row_bomb(tmp_path / "b.xlsx", rows=10_000), LEDGER_SHEETS, log)
    assert all("上限" not in e.message for e in log.errors)  # read: only the missing columns are reported
    assert any("缺少必填列" in e.message for e in log.errors)
