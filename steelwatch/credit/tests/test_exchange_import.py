"""The sharing platform's own files read back (#13 Deliver 5): real .xlsx files written with openpyxl as the
platform would send them, and our own exchange files sent out and read back. Every USCC's check character is
validated on import (a bad row is reported by row and field, not imported); rows in force elsewhere become
`platform` entries that screening knows; removed or ended rows, and what the list already holds (our own
entries, an earlier import of the same file), are skipped; a penalty (CF_*) file is only checked; the import
is audited; an ID number read from the file is stored encrypted and shown nowhere in clear."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from steelwatch.core.models import AuditLog
from steelwatch.credit import exchange, services
from steelwatch.credit.exchange import CF_FIELDS, MD_FIELDS
from steelwatch.credit.models import Entry
from steelwatch.credit.screening import HIT, REVIEW, STRONG, screen
from steelwatch.registry.uscc import uscc_check_char
from steelwatch.testing import make_uscc, make_user

from .conftest import listed_entry, make_id, proposed_entry

pytestmark = pytest.mark.django_db

OTHER_PERSON = make_id("32050619700101123")  # a person listed by another city's authority


def _uscc(division: str, n: int) -> str:
    body = f"91{division}MA{n:07d}"
    return body + uscc_check_char(body)


def _wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def _platform_file(path, rows: list[dict], *, sheet: str = "信用名单", fields=MD_FIELDS):
    """A workbook as the platform sends it: one header row of field codes, then one row per subject."""
    book = openpyxl.Workbook()
    table = book.active
    table.title = sheet
    table.append([code for code, _label in fields])
    for row in rows:
        table.append([row.get(code, "") for code, _label in fields])
    book.save(path)
    return path


def _row(name: str, uscc: str, document: str, *, ends: datetime.date, state: str = "1", **more) -> dict:
    row = {
        "MD_XDR_MC": name,
        "MD_XDR_LB": "02",
        "MD_XDR_SHXYM": uscc,
        "MD_FRDB": "李某某",
        "MD_LB": "严重违法失信名单",
        "MD_LRSY": "生产销售“地条钢”",
        "MD_LRYJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        "MD_LRJG": "苏州市吴中区市场监督管理局",
        "MD_LRJGDM": _uscc("320506", 7000001),
        "MD_WSH": document,
        "MD_LRRQ": (ends - datetime.timedelta(days=3 * 365)).isoformat(),
        "MD_YXQZ": ends.isoformat(),
        "MD_ZT": state,
    }
    row.update(more)
    return row


def test_a_platform_listing_file_is_checked_imported_and_screened(owner, tmp_path):
    today = timezone.localdate()
    ahead, past = today + datetime.timedelta(days=400), today - datetime.timedelta(days=1)
    hengtai = _uscc("320506", 1000001)
    rows = [
        _row("苏州市吴中区恒泰铸造有限公司", hengtai, "吴市监信列〔2026〕4号", ends=ahead),  # row 2: imported
        _row(
            "苏州市吴中区宏远钢业有限公司",
            _wrong_check(_uscc("320506", 1000002)),
            "吴市监信列〔2026〕5号",
            ends=ahead,
        ),
        _row(
            "苏州市吴中区永安金属有限公司",
            _uscc("320506", 1000003),
            "吴市监信列〔2023〕1号",
            ends=ahead,
            state="2",
        ),
        _row("苏州市吴中区长兴炉料有限公司", _uscc("320506", 1000004), "吴市监信列〔2022〕7号", ends=past),
        _row(  # row 6: a person, with the clear ID number the platform keeps
            "李某某",
            "",
            "吴市监信列〔2026〕6号",
            ends=ahead,
            MD_XDR_LB="01",
            MD_XDR_ZJLX="身份证",
            MD_XDR_ZJHM=OTHER_PERSON,
        ),
        _row(  # row 7: the deciding authority's own code is wrong
            "苏州市吴中区金泰机械有限公司",
            _uscc("320506", 1000005),
            "吴市监信列〔2026〕8号",
            ends=ahead,
            MD_LRJGDM=_wrong_check(_uscc("320506", 7000001)),
        ),
    ]
    path = _platform_file(tmp_path / "platform.xlsx", rows)

    report = exchange.import_platform_file(path, actor=owner, division_code="320412")

    assert (report.kind, report.rows, report.created, report.skipped) == ("listing", 6, 2, 2)
    assert len(report.errors) == 2
    assert report.errors[0].startswith("第3行 MD_XDR_SHXYM：") and "校验码" in report.errors[0]
    assert report.errors[1].startswith("第7行 MD_LRJGDM：")
    imported = Entry.objects.filter(source=Entry.Source.PLATFORM)
    assert sorted(imported.values_list("name", flat=True)) == ["李某某", "苏州市吴中区恒泰铸造有限公司"]
    assert set(imported.values_list("state", flat=True)) == {Entry.State.IN_FORCE}
    firm = imported.get(uscc=hengtai)
    assert firm.document_number == "吴市监信列〔2026〕4号" and firm.ends_on == ahead
    person = imported.get(subject_kind=Entry.SubjectKind.PERSON)
    assert person.id_masked == OTHER_PERSON[:4] + "*" * 10 + OTHER_PERSON[-4:]
    assert OTHER_PERSON not in person.id_ciphertext and OTHER_PERSON not in " ".join(report.errors)

    # screening now knows them: by USCC, by a re-written name, by the person's ID number
    assert [m.band for m in screen(uscc=hengtai) if m.entry_id == firm.pk] == [HIT]
    renamed = screen(name="蘇州恒泰鑄造（集團）有限公司", division_code="320506")
    assert [m.band for m in renamed if m.entry_id == firm.pk][0] in (STRONG, REVIEW)
    assert [m.band for m in screen(person_id_number=OTHER_PERSON) if m.entry_id == person.pk] == [HIT]

    # audited, with counts only
    audit = AuditLog.objects.get(action="credit_exchange_import")
    assert audit.actor == owner and audit.after["created"] == 2 and audit.after["errors"] == 2
    assert OTHER_PERSON not in str(audit.after)

    # the same file again: nothing new (same key and document number)
    again = exchange.import_platform_file(path, actor=owner, division_code="320412")
    assert (again.created, again.skipped, len(again.errors)) == (0, 4, 2)
    assert imported.count() == 2

    # another authority's entries are screened, not republished on this city's public page
    public = Client().get("/public/credit/").content.decode()
    assert "恒泰铸造" not in public and "李某某" not in public


def test_our_own_files_read_back_add_nothing(owner, tmp_path, settings):
    """The listing file we send holds decided entries (not yet published) and persons without a USCC: read
    back, each is recognised as ours — no duplicate, nothing put on the public page that was not there."""
    settings.CREDIT_HIGHER_APPROVAL = False
    listed_entry(owner, name="常州市武进区鑫达特钢有限公司")
    person = services.entry_create(
        actor=owner,
        subject_kind="person",
        person_name="王某某",
        person_id_number=make_id(),
        basis="《公司法》第一百七十八条",
        authority="常州市武进区市场监督管理局",
        document_number="武市监信列〔2026〕2号",
    )
    services.entry_transition(actor=owner, entry=person, to="notified")
    services.statement_record(actor=owner, entry=person, statement="无异议")
    services.entry_transition(actor=owner, entry=person, to="decided")
    sent = exchange.write_exchange("listing", Entry.objects.all(), tmp_path / "listing.xlsx")
    assert sent.path is not None and sent.rows == 2

    client = Client()
    client.force_login(owner)
    upload = SimpleUploadedFile("listing.xlsx", sent.path.read_bytes())
    page = client.post("/credit/exchange/import/", {"file": upload}).content.decode()

    assert "共 2 行，新增 0 条，跳过 2 行。" in page
    assert Entry.objects.count() == 2 and not Entry.objects.filter(source=Entry.Source.PLATFORM).exists()
    assert "王某某" not in Client().get("/public/credit/").content.decode()  # decided, not yet published


def test_a_penalty_file_is_checked_only(owner, tmp_path):
    entry = listed_entry(owner, name="常州市武进区鑫达特钢有限公司")
    sent = exchange.write_exchange("penalties", Entry.objects.all(), tmp_path / "penalties.xlsx")
    book = openpyxl.load_workbook(sent.path)
    table = book["行政处罚"]
    header = [cell.value for cell in table[1]]
    column = header.index("CF_XDR_SHXYM") + 1
    assert table.cell(row=2, column=column).value == entry.uscc
    table.cell(row=2, column=column).value = _wrong_check(entry.uscc)
    book.save(sent.path)

    report = exchange.import_platform_file(sent.path, actor=owner, division_code="320412")

    assert (report.kind, report.rows, report.created, report.skipped) == ("penalties", 1, 0, 1)
    assert len(report.errors) == 1 and report.errors[0].startswith("第2行 CF_XDR_SHXYM：")
    assert Entry.objects.count() == 1
    assert AuditLog.objects.get(action="credit_exchange_import").after["kind"] == "penalties"


def test_a_wrong_uscc_stops_the_export_and_the_import_page_is_for_deciders(owner, tmp_path):
    entry = listed_entry(owner, name="常州市武进区鑫达特钢有限公司")
    Entry.objects.filter(pk=entry.pk).update(authority_uscc=_wrong_check(make_uscc("320412", "11")))
    client = Client()
    client.force_login(owner)
    refused = client.get("/credit/exchange/listing.xlsx")
    assert refused.status_code == 422 and "MD_LRJGDM" in refused.content.decode()
    assert exchange.write_exchange("penalties", Entry.objects.all(), tmp_path / "p.xlsx").path is None

    viewer = make_user("viewer", "320412")
    other = Client()
    other.force_login(viewer)
    assert other.get("/credit/exchange/import/").status_code == 403
    not_xlsx = SimpleUploadedFile("list.csv", b"MD_XDR_MC\n")
    page = client.post("/credit/exchange/import/", {"file": not_xlsx}).content.decode()
    assert "仅支持" in page and 'id="import-report"' not in page


def test_an_unreadable_file_is_reported_not_raised(owner, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(io.BytesIO(b"not a zip").getvalue())
    report = exchange.import_platform_file(path, actor=owner, division_code="320412")
    assert report.created == 0 and report.errors and "无法读取" in report.errors[0]
    cf = _platform_file(tmp_path / "other.xlsx", [{"X": 1}], sheet="别的表", fields=CF_FIELDS[:1])
    report = exchange.import_platform_file(cf, actor=owner, division_code="320412")
    assert report.created == 0 and any("信用名单" in e for e in report.errors)


def test_the_authoritys_uscc_is_checked_when_entered(owner):
    from django.core.exceptions import ValidationError

    entry = proposed_entry(owner)
    good = make_uscc("320412", "11")
    with pytest.raises(ValidationError) as refused:
        services.entry_update(actor=owner, entry=entry, authority_uscc=_wrong_check(good))
    assert "authority_uscc" in refused.value.message_dict
    services.entry_update(actor=owner, entry=entry, authority_uscc=good.lower())
    entry.refresh_from_db()
    assert entry.authority_uscc == good
