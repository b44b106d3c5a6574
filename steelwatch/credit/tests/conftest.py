import datetime

import pytest

from steelwatch.credit.idnumber import id_check_char


def make_id(body: str = "32041219800101123") -> str:
    return body + id_check_char(body)


PERSON_ID = make_id()


@pytest.fixture
def decider(db):
    """A district office of 武进区 (owner) decides entries; this fixture is the same role, named."""
    from steelwatch.testing import make_user

    return make_user("district_office", "320412", username="decider")


@pytest.fixture
def city_decider(db):
    from steelwatch.testing import make_user

    return make_user("city_office", "320400", username="city_decider")


def listed_entry(actor, *, name="常州市武进区鑫达特钢有限公司", today=None, **fields):
    """An entry taken through notice, approval (when configured), decision and publication."""
    from steelwatch.credit import services
    from steelwatch.testing import make_uscc

    today = today or datetime.date(2026, 3, 2)
    values = {
        "subject_kind": "enterprise",
        "name": name,
        "enterprise_uscc": make_uscc("320412"),
        "basis": "《市场监督管理严重违法失信名单管理办法》第九条",
        "authority": "常州市武进区市场监督管理局",
        "document_number": "武市监信列〔2026〕1号",
    }
    values.update(fields)
    entry = services.entry_create(actor=actor, **values)
    services.entry_transition(actor=actor, entry=entry, to="notified", today=today)
    services.statement_record(actor=actor, entry=entry, statement="无异议", on=today)
    if services._approval_needed(entry):
        from steelwatch.accounts.models import User
        from steelwatch.testing import make_user

        higher = User.objects.filter(username="approver").first() or make_user(
            "city_office", "320400", username="approver"
        )
        services.entry_transition(actor=actor, entry=entry, to="awaiting_approval", today=today)
        services.entry_transition(actor=higher, entry=entry, to="approved", today=today)
    services.entry_transition(actor=actor, entry=entry, to="decided", today=today)
    services.entry_transition(actor=actor, entry=entry, to="in_force", today=today)
    return entry


def proposed_entry(actor, *, name="常州市武进区鑫达特钢有限公司", **fields):
    """An enterprise entry as proposed (not yet notified, not screened against)."""
    from steelwatch.credit import services
    from steelwatch.testing import make_uscc

    values = {"enterprise_uscc": make_uscc("320412"), "basis": "x", "authority": "常州市武进区市场监督管理局"}
    values.update(fields)
    return services.entry_create(actor=actor, subject_kind="enterprise", name=name, **values)


def in_force_rows(names, *, starts_on=None, ends_on=None):
    """Entries in force written straight to the table (bulk), indexed for screening: for lists of many."""
    from steelwatch.credit.models import Entry
    from steelwatch.credit.screening import index_entry
    from steelwatch.testing import make_uscc

    rows = Entry.objects.bulk_create(
        Entry(
            name=name,
            uscc=make_uscc("320412"),
            division_id="320412",
            basis="x",
            authority="常州市武进区市场监督管理局",
            state=Entry.State.IN_FORCE,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for name in names
    )
    for entry in rows:
        index_entry(entry)
    return rows
