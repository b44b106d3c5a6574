"""core.pages.LateRows: a list paged by its keys gives the same rows, in the same order, as slicing the
queryset itself, in two queries a window (keys, then the window's rows with their per-row figures)."""

import pytest
from django.db.models import Count

from steelwatch.core.pages import LateRows, list_page
from steelwatch.registry.models import Enterprise, Furnace
from steelwatch.testing import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    for n in (5, 3, 9, 1, 7, 2, 8, 4, 6):
        enterprise = make_enterprise(name=f"企业{n}")
        for number in range(n % 3):
            Furnace.objects.create(
                enterprise=enterprise, number=str(number), kind="medium_freq", capacity_t=1, rated_kw=1
            )
    return Enterprise.objects.order_by("name", "pk")


def with_count(rows):
    return rows.annotate(furnace_count=Count("furnaces"))


def test_windows_match_the_queryset(ledger, django_assert_num_queries):
    late = LateRows(ledger, with_count)
    assert late.count() == len(late) == 9
    for window in (slice(0, 4), slice(3, 7), slice(6, 30), slice(9, 12)):
        with django_assert_num_queries(1 if window.start < 9 else 0):  # the keys are read with the count
            rows = late[window]
        assert [e.name for e in rows] == [e.name for e in ledger[window]]
        assert [e.furnace_count for e in rows] == [int(e.name[-1]) % 3 for e in rows]


def test_a_filtered_list_counts_and_pages_only_its_rows(ledger, rf):
    late = LateRows(ledger.filter(name__in=["企业2", "企业4", "企业6"]), with_count)
    page, _query = list_page(rf.get("/", {"page": "9"}), late, 2)
    assert page.paginator.count == 3 and page.number == 2
    assert [e.name for e in page.object_list] == ["企业6"]


def test_iterating_and_indexing_read_the_whole_list(ledger):
    late = LateRows(ledger, with_count)
    assert [e.name for e in late] == [e.name for e in ledger]
    assert late[3].name == ledger[3].name
    with pytest.raises(IndexError):
        late[9]


def test_a_short_list_is_read_once(ledger, django_assert_num_queries, monkeypatch):
    """Up to KEYS_AT_ONCE rows, the count reads every key, and a page then costs only its rows' query; a longer
    list counts with COUNT(*), a page among the first keys it read costs only its rows, a later one reads its
    window's keys."""
    expected = [e.name for e in ledger[3:6]]
    short = LateRows(ledger, with_count)
    with django_assert_num_queries(2):
        assert short.count() == 9 and [e.name for e in short[3:6]] == expected
    monkeypatch.setattr(LateRows, "KEYS_AT_ONCE", 4)
    long = LateRows(ledger, with_count)
    with django_assert_num_queries(3):  # the first keys, COUNT(*), the window's rows
        assert long.count() == 9 and [e.name for e in long[3:5]] == expected[:2]
    with django_assert_num_queries(2):  # beyond the first keys: the window's keys, its rows
        assert [e.name for e in long[3:6]] == expected


def test_a_window_in_the_second_half_is_read_from_the_end(ledger, monkeypatch, django_assert_num_queries):
    """Beyond the middle of a long list the keys are read in the reversed order and turned back: the same rows
    in the same order, and the SQL asks for the descending order (the last page skips few rows)."""
    monkeypatch.setattr(LateRows, "KEYS_AT_ONCE", 2)
    late = LateRows(ledger, with_count)
    assert late.count() == 9
    for window in (slice(5, 8), slice(7, 9), slice(8, 20), slice(4, 6), slice(9, 12)):
        assert [e.name for e in late[window]] == [e.name for e in ledger[window]]
    with django_assert_num_queries(2) as captured:
        late[7:9]
    assert 'ORDER BY "registry_enterprise"."name" DESC' in captured.captured_queries[0]["sql"]
