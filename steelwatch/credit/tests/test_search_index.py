"""The credit list's search (the ledger's key rule) and the screening's candidate index: it holds listed
entries only (in when decided, out when withdrawn), the best-overlapping candidates are the ones scored even
when a crowded bigram brings more than CANDIDATES, the evidence names the places in full, and the ledger
import preview screens its new enterprises in the job and says when it screened only the first ones."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steelwatch.credit import screening, selectors, services
from steelwatch.credit.models import Entry, NameGram, NameKey
from steelwatch.registry.tests.ledger_files import enterprise_row, write_ledger_file
from steelwatch.testing import client_for, make_uscc

from .conftest import in_force_rows, listed_entry, proposed_entry

pytestmark = pytest.mark.django_db

LISTED = "常州市武进区鑫达特钢有限公司"


def test_the_list_search_takes_a_code_as_a_key(owner):
    entry = listed_entry(owner, name=LISTED)
    old = listed_entry(
        owner, name="常州市武进区某某铸造厂", enterprise_uscc="", registration_number="320412000012345"
    )
    rows = lambda q: list(selectors.entry_list(owner, q=q).values_list("pk", flat=True))  # noqa: E731
    with CaptureQueriesContext(connection) as queries:
        assert rows(f"  {entry.uscc.lower()} ") == [entry.pk]
    sql = queries.captured_queries[-1]["sql"]
    assert '"credit_entry"."uscc" = ' in sql  # the index, not a case-blind scan of every row
    assert '"credit_entry"."uscc" LIKE' not in sql and 'UPPER("credit_entry"."uscc"' not in sql
    assert rows("320412000012345") == [old.pk]
    assert rows(entry.uscc[:10]) == []  # a fragment of a code is not a key (nor in any name)
    assert rows("鑫达") == [entry.pk]
    assert rows("武市监信列") == sorted([entry.pk, old.pk], reverse=True)  # the document number


def test_the_index_holds_listed_entries_only(owner, settings):
    settings.CREDIT_HIGHER_APPROVAL = False
    entry = proposed_entry(owner, name=LISTED, document_number="武市监信列〔2026〕1号")
    assert NameKey.objects.filter(entry=entry).exists()
    assert not NameGram.objects.filter(entry=entry).exists()  # a proposal: nothing to screen against
    services.entry_transition(actor=owner, entry=entry, to="notified")
    services.statement_record(actor=owner, entry=entry, statement="无异议")
    services.entry_transition(actor=owner, entry=entry, to="decided")
    assert NameGram.objects.filter(entry=entry, gram="t:鑫达").exists()
    assert [m.entry_id for m in screening.screen(name=LISTED)] == [entry.pk]
    services.entry_transition(actor=owner, entry=entry, to="withdrawn", reason="处罚决定被撤销")
    assert not NameGram.objects.filter(entry=entry).exists()
    assert screening.screen(name=LISTED) == []
    assert screening.index_rebuild() == 1 and not NameGram.objects.exists()


def test_the_best_candidates_are_scored_however_crowded_a_bigram(owner, monkeypatch):
    """More than CANDIDATES listed entries share the bigram 达特 with the screened name: the one with the same
    trade name (most keys shared) is still scored — earlier, an arbitrary CANDIDATES of them were."""
    monkeypatch.setattr(screening, "CANDIDATES", 5)
    listed = listed_entry(owner, name=LISTED)  # the oldest: last in the list's own order
    crowd = in_force_rows(f"常州市武进区{trade}达特钢有限公司" for trade in "甲乙丙丁戊己庚辛壬癸")
    assert NameGram.objects.filter(gram="达特").count() == len(crowd) + 1
    matches = screening.screen(name="常州鑫達特殊鋼鐵（集團）有限公司", division_code="320411")
    assert listed.pk in [m.entry_id for m in matches]
    ended = listed_entry(owner, name="常州市武进区恒泰特钢有限公司")
    Entry.objects.filter(pk=ended.pk).update(ends_on=datetime.date(2026, 3, 3))
    assert screening.screen(name="常州市武进区恒泰特钢有限公司", today=datetime.date(2026, 3, 3)) == []


def test_evidence_names_the_places_in_full(owner):
    screening._division_name.cache_clear()
    listed_entry(owner, name=LISTED)
    township = "320412001"
    match = screening.screen(name="常州鑫達特殊鋼鐵（集團）有限公司", division_code=township)[0]
    from steelwatch.geo.models import Division

    full = Division.objects.get(code=township).full_name
    assert full.startswith("江苏省常州市武进区") and any(full in why for why in match.why)
    assert screening._division_name("320412") == "江苏省常州市武进区"
    assert screening._division_name("999999") == "999999"


@pytest.fixture
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_the_import_preview_screens_in_the_job_and_says_how_many(
    owner, tmp_path, monkeypatch, _immediate_tasks
):
    from steelwatch.registry import tasks

    listed_entry(owner, name=LISTED)
    monkeypatch.setattr(tasks, "SCREENED", 1)
    rows = [enterprise_row(make_uscc("320412"), 1), enterprise_row(make_uscc("320412"), 2)]
    rows[0][1], rows[1][1] = "常州鑫達特殊鋼鐵（集團）有限公司", "常州鑫达特钢有限公司"
    path = write_ledger_file(tmp_path / "ledger.xlsx", rows)
    client = client_for(owner)
    with TestCase.captureOnCommitCallbacks(execute=True):
        uploaded = client.post(
            reverse("ledger_excel:import"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
        )
    monkeypatch.setattr(screening, "screen", lambda **kw: pytest.fail("screened at the view"))
    preview = client.get(uploaded.url).content.decode()
    flags = preview.split('id="credit-flags"', 1)[1].split("</section>", 1)[0]
    assert 'data-row="2"' in flags and 'data-row="3"' not in flags and LISTED in flags
    assert 'data-band="strong"' in flags or 'data-band="review"' in flags
    assert 'id="credit-screened"' in preview and "前 1 家新企业（共 2 家）" in preview


def test_the_public_page_is_paged(client):
    from steelwatch.credit import views_public

    day = datetime.date(2026, 1, 5)
    in_force_rows(
        (f"常州市武进区第{n:03d}钢铁有限公司" for n in range(views_public.PAGE_SIZE + 1)),
        starts_on=day,
        ends_on=day.replace(year=2099),
    )
    first = client.get("/public/credit/").content.decode()
    assert first.count("<tr><td>常州市武进区第") == views_public.PAGE_SIZE and 'class="pagination"' in first
    second = client.get("/public/credit/?page=2").content.decode()
    assert second.count("<tr><td>常州市武进区第") == 1
    body = client.get("/api/v1/public/credit", {"limit": 2, "offset": 50}).json()
    assert body["count"] == views_public.PAGE_SIZE + 1 and len(body["items"]) == 1
