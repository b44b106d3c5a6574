"""Screening: USCC, legacy number and ID number hits; names in traditional characters, another district,
abbreviated industry words, homophones; never a flag on an unrelated name; recorded decisions shown again."""

import datetime

import pytest

from steelwatch.credit import services
from steelwatch.credit.screening import HIT, REVIEW, STRONG, screen, screening_decide
from steelwatch.testing import make_uscc

from .conftest import PERSON_ID, listed_entry

D = datetime.date
NEW_DISTRICT = "320411"  # 新北区: "registered in another district"


@pytest.fixture
def listed(owner):
    return listed_entry(owner, name="常州市武进区鑫达特钢有限公司", today=D(2026, 3, 2))


def _bands(matches, entry):
    return [m.band for m in matches if m.entry_id == entry.pk]


def test_done_means_traditional_name_in_another_district_is_flagged(listed):
    matches = screen(name="常州鑫達特殊鋼鐵（集團）有限公司", division_code=NEW_DISTRICT)
    match = next(m for m in matches if m.entry_id == listed.pk)
    assert match.band in (STRONG, REVIEW)
    evidence = " ".join(match.why)
    assert "鑫达" in evidence and "特钢" in evidence and "新北区" in evidence and "武进区" in evidence


def test_done_means_unrelated_name_is_not_flagged(listed):
    assert screen(name="常州市武进区宏达机械有限公司", division_code="320412") == []


@pytest.mark.parametrize(
    ("name", "division", "band"),
    [
        ("常州市武进区鑫达特钢有限公司", "320412", STRONG),
        ("鑫达特殊钢铁（常州）有限公司", "", STRONG),
        ("常州鑫达特钢有限公司武进分公司", "320412", STRONG),
        ("常州市武进区新达特钢有限公司", "320412", REVIEW),  # homophone 新达/鑫达
        ("常州市武进区鑫达钢铁有限公司", "320412", REVIEW),  # same trade name, related industry
        ("北京市朝阳区鑫达特钢有限公司", "110105", REVIEW),  # same core, another province
        ("江苏鑫达金属制品厂", "", REVIEW),  # same trade name, industry differs
    ],
)
def test_name_variants(listed, name, division, band):
    assert _bands(screen(name=name, division_code=division), listed) == [band]


@pytest.mark.parametrize("name", ["常州市武进区宏达机械有限公司", "常州市天宁区红星五金加工厂", "鑫"])
def test_unrelated_or_too_short_names(listed, name):
    assert _bands(screen(name=name), listed) == []


def test_uscc_and_legacy_number_hits(owner, listed):
    assert _bands(screen(uscc=listed.uscc.lower()), listed) == [HIT]
    old = listed_entry(
        owner, name="常州市某某铸造厂", enterprise_uscc="", registration_number="320412000012345"
    )
    assert [m.band for m in screen(uscc="320412000012345") if m.entry_id == old.pk] == [HIT]


def test_person_by_id_number_and_by_name(owner):
    person = listed_entry(
        owner, subject_kind="person", person_name="王某某", person_id_number=PERSON_ID, enterprise_uscc=""
    )
    assert _bands(screen(person_id_number=PERSON_ID.lower()), person) == [HIT]
    by_name = screen(person_name="王某某")
    assert _bands(by_name, person) == [REVIEW] and "仅凭姓名" in " ".join(by_name[0].why)
    from .conftest import make_id

    assert _bands(screen(person_name="王某某", person_id_number=make_id("32040219750101001")), person) == []


def test_only_entries_in_force_are_screened(owner, listed):
    services.entry_transition(actor=owner, entry=listed, to="withdrawn", reason="处罚决定被撤销")
    assert screen(uscc=listed.uscc) == []
    proposal = services.entry_create(
        actor=owner,
        subject_kind="enterprise",
        name="常州市武进区鑫达特钢有限公司",
        enterprise_uscc=make_uscc("320412"),
        basis="x",
        authority="y",
    )
    assert _bands(screen(uscc=proposal.uscc), proposal) == []


def test_decision_is_recorded_and_shown_next_time(owner, colleague, listed):
    subject = {"name": "常州市武进区新达特钢有限公司", "division_code": "320412"}
    with pytest.raises(Exception, match="理由"):
        screening_decide(actor=colleague, entry_id=listed.pk, verdict="no_match", reason="", **subject)
    screening_decide(
        actor=colleague, entry_id=listed.pk, verdict="no_match", reason="法定代表人与股东均不同", **subject
    )
    match = screen(**subject)[0]
    assert match.decision == "no_match" and "法定代表人与股东均不同" in match.why[-1]
    assert screen(name="常州市武进区新达特钢有限公司", division_code="320411")[0].decision == "no_match"
    with pytest.raises(Exception, match="不是本次筛查"):
        screening_decide(actor=colleague, entry_id=listed.pk, verdict="match", reason="x", name="宏达机械")


def test_a_decision_on_an_id_number_match_from_the_screening_page(owner, colleague):
    """The screening page carries the screened ID number to its decision forms encrypted, never in clear; the
    decision is filed under the number and shown with the match the next time."""
    from django.test import Client

    from steelwatch.credit.models import ScreeningDecision

    person = listed_entry(
        owner, subject_kind="person", person_name="王某某", person_id_number=PERSON_ID, enterprise_uscc=""
    )
    client = Client()
    client.force_login(colleague)  # a township: screens, does not decide entries
    page = client.post("/credit/screen/", {"person_id_number": PERSON_ID}).content.decode()
    assert f'data-entry="{person.pk}"' in page and PERSON_ID not in page
    token = page.split('name="id_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/credit/screen/decide/",
        {"entry_id": person.pk, "verdict": "match", "reason": "身份证号码一致", "id_token": token},
    )
    assert response.status_code == 302
    assert ScreeningDecision.objects.get(entry=person).decided_by == colleague
    assert screen(person_id_number=PERSON_ID)[0].decision == "match"
    forged = client.post(
        "/credit/screen/decide/",
        {"entry_id": person.pk, "verdict": "match", "reason": "x", "id_token": "forged"},
        follow=True,
    )
    assert "筛查信息已失效" in forged.content.decode() and ScreeningDecision.objects.count() == 1
