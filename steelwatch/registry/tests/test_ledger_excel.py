"""The ledger workbook through the CLI and the import service: real xlsx files, real database."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from steelwatch.cli import main
from steelwatch.core.models import AuditLog
from steelwatch.registry.imports import ledger_import
from steelwatch.registry.models import Enterprise, Furnace, FurnaceStatusChange

from .ledger_files import (
    ENTERPRISE_HEADERS,
    FURNACE_HEADERS,
    LETTER_LED,
    enterprise_row,
    furnace_row,
    uscc,
    write_ledger_file,
    wrong_check,
)

pytestmark = pytest.mark.django_db


def run_json(capsys, *args) -> tuple[int, dict]:
    """`import-ledger … --json`: the exit code the shell would get and the one JSON object on stdout."""
    code = 0
    try:
        call_command("import_ledger", *map(str, args), "--json")
    except CommandError as exc:
        code = exc.returncode
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.django_db(transaction=True)  # the real CLI closes its database connections when done
def test_console_command_prints_one_json_object_and_exits_non_zero(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["steelwatch", "import-ledger", str(tmp_path / "missing.xlsx"), "--json"])
    assert exit_info.value.code == 1
    assert json.loads(capsys.readouterr().out) == {
        "ok": False,
        "created": 0,
        "updated": 0,
        "errors": [
            {"sheet": "", "row": None, "column": "", "message": "文件不存在：missing.xlsx"}  # no server path
        ],
    }
    path = write_ledger_file(tmp_path / "ok.xlsx", [enterprise_row(LETTER_LED[0], 1)])
    main(["steelwatch", "import-ledger", str(path), "--json"])  # exit code 0: no SystemExit
    assert json.loads(capsys.readouterr().out)["created"] == 1


def test_bad_check_character_and_unknown_division_refused_with_both_errors_and_nothing_written(
    tmp_path, capsys
):
    bad = wrong_check("91320412MA0000099")
    path = write_ledger_file(
        tmp_path / "ledger.xlsx",
        [
            enterprise_row(LETTER_LED[0], 1),
            enterprise_row(bad, 2),  # row 3: bad check character
            enterprise_row(LETTER_LED[1], 3, division="999999"),  # row 4: unknown division
        ],
        [furnace_row(LETTER_LED[0])],
    )

    code, report = run_json(capsys, path)

    assert code != 0
    assert report["ok"] is False and report["created"] == 0 and report["updated"] == 0
    right = uscc("91320412MA0000099")[-1]
    assert report["errors"] == [
        {
            "sheet": "企业",
            "row": 3,
            "column": "统一社会信用代码",
            "message": f"统一社会信用代码校验码错误：第18位应为“{right}”，实际为“{bad[-1]}”（A列）",
        },
        {"sheet": "企业", "row": 4, "column": "行政区划代码", "message": "行政区划代码 999999 不存在（C列）"},
    ]
    assert Enterprise.objects.count() == 0 and Furnace.objects.count() == 0 and AuditLog.objects.count() == 0


def test_letter_led_codes_import_and_second_import_changes_nothing(tmp_path, capsys):
    path = write_ledger_file(
        tmp_path / "ledger.xlsx",
        [enterprise_row(c, i) for i, c in enumerate(LETTER_LED)],
        [furnace_row(LETTER_LED[0], "ZP-1"), furnace_row(LETTER_LED[0].lower(), "ZP-2", "封存")],
    )

    assert run_json(capsys, path) == (0, {"ok": True, "created": 6, "updated": 0, "errors": []})
    assert set(Enterprise.objects.values_list("uscc", flat=True)) == set(LETTER_LED)
    furnace = Furnace.objects.get(number="ZP-2")
    assert furnace.enterprise.uscc == LETTER_LED[0] and furnace.status == Furnace.Status.SEALED
    audits = AuditLog.objects.count()
    assert audits == 6

    assert run_json(capsys, path) == (0, {"ok": True, "created": 0, "updated": 0, "errors": []})
    assert (
        Enterprise.objects.count() == 4
        and Furnace.objects.count() == 2
        and AuditLog.objects.count() == audits
    )


def test_changed_row_updates_with_audit_and_furnace_status_history(tmp_path, capsys):
    code = LETTER_LED[0]
    write_ledger_file(tmp_path / "a.xlsx", [enterprise_row(code, 1)], [furnace_row(code)])
    assert run_json(capsys, tmp_path / "a.xlsx")[0] == 0
    write_ledger_file(
        tmp_path / "b.xlsx",
        [enterprise_row(f" {code.lower()} ", 1, status="停产")],
        [furnace_row(code, status="拆除")],
    )

    assert run_json(capsys, tmp_path / "b.xlsx") == (
        0,
        {"ok": True, "created": 0, "updated": 2, "errors": []},
    )
    enterprise = Enterprise.objects.get(uscc=code)
    assert enterprise.status == Enterprise.Status.IDLE
    furnace = enterprise.furnaces.get()
    assert list(FurnaceStatusChange.objects.filter(furnace=furnace).values_list("status", flat=True)) == [
        "dismantled",
        "in_use",
    ]
    update = AuditLog.objects.get(target_type="registry.enterprise", action="update")
    assert update.before["status"] == "operating" and update.after["status"] == "idle"


def test_every_kind_of_row_error_is_reported_at_its_cell(tmp_path, capsys):
    ok = LETTER_LED[0]
    path = write_ledger_file(
        tmp_path / "ledger.xlsx",
        [
            enterprise_row(ok, 1),
            enterprise_row(ok, 2),  # 3: duplicate
            [
                "320412000012345",
                "老企业",
                "320412001",
                "",
                "",
                "",
                "在营",
                None,
                None,
            ],  # 4: legacy 15-digit number
            [
                LETTER_LED[1],
                "",
                "320412001",
                "",
                "",
                "",
                "营业",
                200,
                31,
            ],  # 5: empty name, bad status, longitude
            [LETTER_LED[2], "某厂", "320412001", "", "", "", "在营", 119.9, None],  # 6: latitude missing
        ],
        [
            furnace_row(ok, "ZP-1"),
            [ok, "ZP-1", "电弧炉", 0, -5, "", "在用"],  # 3: duplicate number, bad kind, not positive
            furnace_row(LETTER_LED[3], "ZP-9"),  # 4: enterprise nowhere
        ],
    )

    code, report = run_json(capsys, path)

    assert code == 1
    found = {(e["sheet"], e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert found[("企业", 3, "统一社会信用代码")] == f"统一社会信用代码 {ok} 与第2行重复（A列）"
    assert "15位原工商注册号" in found[("企业", 4, "统一社会信用代码")]
    assert found[("企业", 5, "企业名称")] == "企业名称不能为空（B列）"
    assert found[("企业", 5, "经营状态")] == "经营状态应为在营、停产、关停、取缔之一，实际为“营业”（G列）"
    assert found[("企业", 5, "经度")].startswith("经度应在73至136之间")
    assert "纬度不能为空" in found[("企业", 6, "纬度")] and "（I列）" in found[("企业", 6, "纬度")]
    assert found[("设备", 3, "设备编号")] == f"设备编号 ZP-1 在企业 {ok} 下重复（与第2行）（B列）"
    assert found[("设备", 3, "设备类型")].startswith("设备类型应为中频炉、工频炉之一")
    assert found[("设备", 3, "容量(吨)")] == "容量(吨)应为正数，实际为“0”（D列）"
    assert found[("设备", 3, "额定功率(kW)")] == "额定功率(kW)应为正数，实际为“-5”（E列）"
    assert "既不在“企业”工作表中，也不在台账中" in found[("设备", 4, "统一社会信用代码")]
    assert len(report["errors"]) == 11
    assert Enterprise.objects.count() == 0


def test_missing_file_sheet_and_header_are_errors_in_the_same_shape(tmp_path, capsys):
    code, report = run_json(capsys, tmp_path / "nope.xlsx")
    assert code == 1 and report["ok"] is False and report["errors"][0]["message"].startswith("文件不存在")

    path = write_ledger_file(
        tmp_path / "h.xlsx",
        [],
        furnace_headers=FURNACE_HEADERS[:-1],
        enterprise_headers=[h for h in ENTERPRISE_HEADERS if h != "企业名称"],
    )
    code, report = run_json(capsys, path)
    assert code == 1
    assert [(e["sheet"], e["row"], e["column"]) for e in report["errors"]] == [
        ("企业", 1, "企业名称"),
        ("设备", 1, "设备状态"),
    ]
    assert report["errors"][0]["message"] == "缺少必填列“企业名称”"

    (tmp_path / "junk.xlsx").write_text("not a workbook")
    assert run_json(capsys, tmp_path / "junk.xlsx")[0] == 1


def test_full_width_headers_and_text_numbers_are_understood(tmp_path, capsys):
    headers = [h.replace("(", "（").replace(")", "）") for h in FURNACE_HEADERS]
    path = write_ledger_file(
        tmp_path / "ledger.xlsx",
        [enterprise_row(LETTER_LED[0], 1)],
        [[LETTER_LED[0], "ZP-1", "工频炉", "1.5", "８００", "", "在用"]],
        furnace_headers=headers,
    )
    assert run_json(capsys, path) == (0, {"ok": True, "created": 2, "updated": 0, "errors": []})
    furnace = Furnace.objects.get()
    assert (furnace.kind, float(furnace.capacity_t), float(furnace.rated_kw)) == ("power_freq", 1.5, 800)


def test_dry_run_writes_nothing_and_plain_report_is_chinese(tmp_path, capsys):
    path = write_ledger_file(tmp_path / "ledger.xlsx", [enterprise_row(LETTER_LED[0], 1)])
    call_command("import_ledger", str(path), "--dry-run")
    assert "将新增 1 条" in capsys.readouterr().out
    assert Enterprise.objects.count() == 0


def test_import_as_user_is_confined_to_the_jurisdiction(tmp_path, capsys, owner, outsider):
    path = write_ledger_file(tmp_path / "ledger.xlsx", [enterprise_row(LETTER_LED[0], 1)])
    code, report = run_json(capsys, path, "--user", "outsider")
    assert code == 1
    assert report["errors"][0]["message"] == "行政区划代码 320412001 不在您的管辖范围内（C列）"

    assert run_json(capsys, path, "--user", "owner")[1]["created"] == 1
    assert AuditLog.objects.get(target_type="registry.enterprise").actor == owner
    # the outsider may not update the owner's enterprise either, even after moving it into their own district
    write_ledger_file(tmp_path / "move.xlsx", [enterprise_row(LETTER_LED[0], 1, division="320411")])
    code, report = run_json(capsys, tmp_path / "move.xlsx", "--user", "outsider")
    assert code == 1 and "不在您的管辖范围内" in report["errors"][0]["message"]
    assert Enterprise.objects.get().division_id == "320412001"


def test_export_then_import_round_trips(tmp_path, capsys):
    from steelwatch.geo.models import Grid

    Grid.objects.create(code="WJ-01", name="一网格", division_id="320412001")
    path = write_ledger_file(
        tmp_path / "ledger.xlsx",
        [enterprise_row(c, i) for i, c in enumerate(LETTER_LED)],
        [furnace_row(LETTER_LED[0], "ZP-1"), furnace_row(LETTER_LED[1], "GP-2", "销毁")],
    )
    assert run_json(capsys, path)[0] == 0
    enterprise = Enterprise.objects.get(uscc=LETTER_LED[2])
    enterprise.grid_id, enterprise.on_watchlist, enterprise.on_ledger = "WJ-01", True, False
    enterprise.grid = Grid.objects.get(code="WJ-01")
    enterprise.registration_number = "320412000012345"
    enterprise.save()

    call_command("export_ledger", str(tmp_path / "out.xlsx"), "--division", "320412")
    capsys.readouterr()
    workbook = load_workbook(tmp_path / "out.xlsx")
    headers = [c.value for c in workbook["企业"][1]]
    assert headers[:9] == ENTERPRISE_HEADERS and [c.value for c in workbook["设备"][1]][:7] == FURNACE_HEADERS
    assert workbook["企业"].max_row == 5 and workbook["设备"].max_row == 3

    assert run_json(capsys, tmp_path / "out.xlsx") == (
        0,
        {"ok": True, "created": 0, "updated": 0, "errors": []},
    )

    call_command("export_ledger", str(tmp_path / "other.xlsx"), "--division", "320411")
    assert load_workbook(tmp_path / "other.xlsx")["企业"].max_row == 1


def test_template_has_instructions_and_drop_downs(tmp_path):
    call_command("ledger_template", str(tmp_path / "t.xlsx"))
    workbook = load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames[:3] == ["说明", "企业", "设备"]
    lists = {str(dv.sqref): dv.formula1 for dv in workbook["企业"].data_validations.dataValidation}
    assert lists["G2:G5001"] == '"在营,停产,关停,取缔"'
    furnace_lists = [dv.formula1 for dv in workbook["设备"].data_validations.dataValidation]
    assert '"中频炉,工频炉"' in furnace_lists and '"在用,封存,拆除,销毁"' in furnace_lists
    # the empty template imports as nothing at all
    result = ledger_import(path=tmp_path / "t.xlsx")
    assert (result.ok, result.created, result.updated) == (True, 0, 0)


def test_import_progress_is_reported(tmp_path):
    codes = [uscc(f"91320412MA{n:07d}") for n in range(120)]
    path = write_ledger_file(tmp_path / "big.xlsx", [enterprise_row(c, i) for i, c in enumerate(codes)])
    reports = []
    result = ledger_import(path=path, report=lambda p, m: reports.append(p), every=50)
    assert result.created == 120
    # reading, then one report per written batch of 50 (enterprises, then their audit records), then the switch
    assert reports[0] == 1 and reports[-2:] == [97, 100] and reports == sorted(reports)
    assert len(reports) == 1 + 3 + 3 + 2


def test_consolidation_snapshots_the_lists(tmp_path, capsys, settings):
    from steelwatch.registry.models import LedgerSnapshot

    path = write_ledger_file(
        tmp_path / "ledger.xlsx",
        [enterprise_row(c, i) for i, c in enumerate(LETTER_LED[:2])],
        [furnace_row(LETTER_LED[0])],
    )
    assert run_json(capsys, path)[0] == 0
    Enterprise.objects.filter(uscc=LETTER_LED[1]).update(on_watchlist=True)

    call_command("consolidate_ledger", "--period", "2026-12", "--division", "320400")
    snapshot = LedgerSnapshot.objects.get()
    assert (snapshot.furnace_user_count, snapshot.watchlist_count, snapshot.off_ledger_count) == (1, 1, 0)
    wujin = next(row for row in snapshot.counts if row["code"] == "320412")
    assert wujin == {"code": "320412", "name": "武进区", "furnace_users": 1, "watchlist": 1, "off_ledger": 0}
    workbook = load_workbook(settings.DATA_DIR / snapshot.file_path)
    assert workbook["中(工)频炉使用企业清单"]["A2"].value == LETTER_LED[0]
    assert workbook["重点监控企业清单"]["A2"].value == LETTER_LED[1]

    call_command("consolidate_ledger", "--period", "2026-12", "--division", "320400")  # re-run replaces
    assert LedgerSnapshot.objects.count() == 1
    with pytest.raises(CommandError, match="YYYY-06 或 YYYY-12"):
        call_command("consolidate_ledger", "--period", "2026-05", "--division", "320400")
