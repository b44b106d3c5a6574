"""The lab-results workbook: the template as the issue lists it, judging a real .xlsx on the command line
(JSON shape, exit code), and a bad cell refused at its sheet, row and column."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from steelwatch.market.lab_excel import LAB_SHEET_NAME

HEADERS = [
    "样品编号", "牌号", "公称直径(mm)", "下屈服强度ReL(MPa)", "抗拉强度Rm(MPa)", "断后伸长率A(%)",
    "最大力总延伸率Agt(%)", "重量偏差(%)", "弯曲", "反向弯曲", "C(%)", "Si(%)", "Mn(%)", "P(%)", "S(%)", "N(%)", "Ceq(%)",
]  # fmt: skip


def _filled(tmp_path, rows: list[list]) -> str:
    path = tmp_path / "template.xlsx"
    call_command("sampling_template", str(path), stdout=StringIO())
    workbook = load_workbook(path)
    sheet = workbook[LAB_SHEET_NAME]
    for row in rows:
        sheet.append(row)
    out = tmp_path / "results.xlsx"
    workbook.save(out)
    return str(out)


def _judge(path):
    out = StringIO()
    try:
        call_command("judge_samples", path, "--json", stdout=out)
        code = 0
    except CommandError as error:
        code = error.returncode
    return code, json.loads(out.getvalue())


def test_the_template_has_the_issues_sheet_and_columns(tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("sampling_template", str(path), stdout=StringIO())
    sheet = load_workbook(path)[LAB_SHEET_NAME]
    assert [c.value for c in sheet[1]] == HEADERS


@pytest.mark.django_db
def test_judging_a_filled_workbook(tmp_path):
    path = _filled(
        tmp_path,
        [
            ["CJ2026000001", "HRB400E", 20, 455, 610, None, 6.1, -3.2, "合格", "合格", 0.23, 0.41, 1.38, 0.068, 0.031, 0.009, None],
            ["CJ2026000002", "HRB400", 16, 445, 600, 21, 11, -2.0, "合格", None, 0.21, 0.4, 1.3, 0.03, 0.02, None, 0.45],
            ["CJ2026000003", "HRB400", 12, 430, 590, 20, 10, -8.5, None, None, None, None, None, None, None, None, None],
        ],
    )  # fmt: skip
    code, result = _judge(path)
    assert code == 0 and result["ok"] is True and result["errors"] == []
    first, second, third = result["results"]
    assert first == {
        "row": 2, "sample": "CJ2026000001", "verdict": "nonconforming", "failed": ["agt", "p"], "suspect": True,
        "reasons": first["reasons"],
    }  # fmt: skip
    assert len(first["reasons"]) == 2
    assert second["verdict"] == "conforming" and second["failed"] == [] and second["suspect"] is False
    assert third["failed"] == ["weight_deviation"] and third["suspect"] is True and third["row"] == 4


@pytest.mark.django_db
def test_text_in_a_number_column_is_refused_at_sheet_row_and_column(tmp_path):
    path = _filled(
        tmp_path,
        [
            ["CJ2026000001", "HRB400E", 20, 455, 610, None, 9.5, -3.2, "合格", "合格", 0.23, 0.41, 1.38, 0.03, 0.03, 0.009, None],
            ["CJ2026000002", "HRB400E", 20, "四百五十", 610, None, 9.5, -3.2, None, None, None, None, None, None, None, None, None],
            ["CJ2026000003", "HRB335", 24, 455, 610, None, 9.5, None, "好", None, None, None, None, None, None, None, None],
            ["CJ2026000004", "HRB400", 24, 455, 610, None, 9.5, None, None, None, None, None, None, None, None, None, None],
        ],
    )  # fmt: skip
    code, result = _judge(path)
    assert code == 1 and result["ok"] is False
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert "应为数字" in errors[LAB_SHEET_NAME, 3, "下屈服强度ReL(MPa)"]
    assert errors[LAB_SHEET_NAME, 3, "下屈服强度ReL(MPa)"].endswith("（D列）")
    assert "HRB335" in errors[LAB_SHEET_NAME, 4, "牌号"]
    assert "合格" in errors[LAB_SHEET_NAME, 4, "弯曲"]
    assert "24" in errors[LAB_SHEET_NAME, 5, "公称直径(mm)"]
    assert [r["row"] for r in result["results"]] == [2]


def test_a_missing_file_or_sheet_is_an_error(tmp_path):
    code, result = _judge(str(tmp_path / "none.xlsx"))
    assert code == 1 and result["errors"][0]["row"] is None


def test_exports_write_hostile_text_as_text_never_a_formula(tmp_path):
    from steelwatch.core.sheets import Column, SheetSpec, write_workbook

    spec = SheetSpec("抽查结果", (Column("被抽样单位", "unit"), Column("备注", "remark")))
    path = write_workbook(
        tmp_path / "x.xlsx", [(spec, [{"unit": '=HYPERLINK("http://x","y")', "remark": "@SUM(1)"}])]
    )
    sheet = load_workbook(path)["抽查结果"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["B2"].data_type == "s"
