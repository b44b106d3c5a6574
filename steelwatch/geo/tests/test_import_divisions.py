"""`steelwatch import-divisions`: villages and grids with grid officers, from real xlsx files."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from steelwatch.accounts.models import User
from steelwatch.geo.models import Division, Grid

pytestmark = pytest.mark.django_db

VILLAGE_HEADERS = ["行政区划代码", "名称"]
GRID_HEADERS = [
    "网格编号",
    "网格名称",
    "所属街镇代码",
    "包含村社区代码",
    "网格员姓名",
    "网格员电话",
    "网格员账号",
]


def write(path, villages, grids):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "村社区"
    for row in [VILLAGE_HEADERS, *villages]:
        sheet.append(row)
    sheet = workbook.create_sheet("网格")
    for row in [GRID_HEADERS, *grids]:
        sheet.append(row)
    workbook.save(path)
    return path


def run(capsys, *args):
    code = 0
    try:
        call_command("import_divisions", *map(str, args), "--json")
    except CommandError as exc:
        code = exc.returncode
    return code, json.loads(capsys.readouterr().out)


VILLAGES = [["320412001001", "南夏墅村"], ["320412001002", "南夏墅社区"]]
GRID = [
    "WJ-NXS-01",
    "南夏墅一网格",
    "320412001",
    "320412001001，320412001002",
    "王网格",
    "13800000001",
    "wang_grid",
]


def test_villages_and_grids_import_once(tmp_path, capsys):
    path = write(tmp_path / "d.xlsx", VILLAGES, [GRID])
    assert run(capsys, path) == (0, {"ok": True, "created": 4, "updated": 0, "errors": []})
    village = Division.objects.get(code="320412001001")
    assert (village.level, village.parent_id) == (Division.Level.VILLAGE, "320412001")
    grid = Grid.objects.get(code="WJ-NXS-01")
    assert sorted(grid.villages.values_list("code", flat=True)) == ["320412001001", "320412001002"]
    officer = User.objects.get(username="wang_grid")
    assert (officer.role, officer.grid, officer.division_id, officer.display_name) == (
        "grid_officer",
        grid,
        "320412001",
        "王网格",
    )
    assert not officer.has_usable_password()

    assert run(capsys, path) == (0, {"ok": True, "created": 0, "updated": 0, "errors": []})
    renamed = write(
        tmp_path / "r.xlsx",
        [["320412001001", "南夏墅新村"]],
        [[*GRID[:4], "王网格", "13900000000", "wang_grid"]],
    )
    assert run(capsys, renamed) == (0, {"ok": True, "created": 0, "updated": 2, "errors": []})
    assert User.objects.get(username="wang_grid").phone == "13900000000"


def test_bad_rows_are_all_reported_and_nothing_written(tmp_path, capsys, owner):
    path = write(
        tmp_path / "d.xlsx",
        [
            ["320412001001", "南夏墅村"],
            ["999999001001", "无此街镇村"],  # 3: township missing
            ["3204120010", "短代码"],  # 4: not 12 digits
        ],
        [
            ["G1", "网格一", "320412001", "320412002001", "甲", "", "jia"],  # 2: village of another township
            [
                "G1",
                "网格二",
                "320412999",
                "",
                "乙",
                "",
                "owner",
            ],  # 3: duplicate, unknown township, not a grid officer
        ],
    )
    code, report = run(capsys, path)
    assert code == 1
    found = {(e["sheet"], e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert found == {
        ("村社区", 3, "行政区划代码"): "所属街镇 999999001 不存在（村社区代码前9位）（A列）",
        ("村社区", 4, "行政区划代码"): "行政区划代码应为12位数字，实际为“3204120010”（A列）",
        ("网格", 2, "包含村社区代码"): "村社区 320412002001 不属于街镇 320412001（D列）",
        ("网格", 3, "网格编号"): "网格编号 G1 与第2行重复（A列）",
        ("网格", 3, "所属街镇代码"): "所属街镇代码 320412999 不存在（C列）",
        ("网格", 3, "网格员账号"): "账号 owner 已存在，且不是网格员（G列）",
    }
    assert not Division.objects.filter(level=Division.Level.VILLAGE).exists() and not Grid.objects.exists()


def test_import_as_user_stays_in_jurisdiction(tmp_path, capsys, outsider):
    code, report = run(capsys, write(tmp_path / "d.xlsx", VILLAGES, [GRID]), "--user", "outsider")
    assert code == 1
    assert report["errors"][0]["message"] == "行政区划代码 320412001001 不在您的管辖范围内（A列）"
    assert not Grid.objects.exists()
