"""A division's subtree as an index range (core/fields.py): `code__startswith` on a division code gives exactly
the rows a textual prefix match gives, written as `>= AND <` that an ordinary index answers; and a division
reached through a foreign key is asked of the parent row (EXISTS), with the same rows as the join."""

import pytest

from steelwatch.core.access import jurisdiction_q, scope_to_jurisdiction
from steelwatch.core.fields import next_prefix
from steelwatch.geo.models import Division
from steelwatch.registry.models import Furnace, PowerAccount
from steelwatch.testing import make_enterprise

pytestmark = pytest.mark.django_db


def test_next_prefix_carries_over_nines():
    assert next_prefix("3204") == "3205"
    assert next_prefix("320419") == "32042"
    assert next_prefix("3209999") == "321"
    assert next_prefix("999") is None


@pytest.mark.parametrize("prefix", ["32", "3204", "320411", "320412", "3204120", "320499", "3299", "9", "41"])
def test_a_subtree_is_a_range_with_the_rows_of_a_prefix_match(prefix):
    codes = list(Division.objects.values_list("code", flat=True))
    expected = sorted(code for code in codes if code.startswith(prefix))
    query = Division.objects.filter(code__startswith=prefix)
    assert sorted(query.values_list("code", flat=True)) == expected
    sql = str(query.query)
    assert ">=" in sql and "LIKE" not in sql.upper()


def test_a_prefix_that_is_not_digits_is_matched_as_text():
    query = Division.objects.filter(code__startswith="32a")
    assert "LIKE" in str(query.query).upper() and not query.exists()


def test_a_parents_division_is_asked_by_its_key(owner, outsider, city_user):
    township = Division.objects.filter(parent_id="320412").order_by("code").first()
    mine = make_enterprise(township.code, name="辖区内企业")
    other = make_enterprise(Division.objects.filter(parent_id="320411").order_by("code").first().code)
    for site in (mine, other):
        Furnace.objects.create(
            enterprise=site, number="1", kind=Furnace.Kind.MEDIUM_FREQ, capacity_t=1, rated_kw=500
        )
    for user, seen in ((owner, {mine.pk}), (outsider, {other.pk}), (city_user, {mine.pk, other.pk})):
        scoped = scope_to_jurisdiction(Furnace.objects.all(), user, "enterprise__division")
        joined = Furnace.objects.filter(jurisdiction_q(user, "enterprise__division"))
        assert "EXISTS" in str(scoped.query).upper()
        assert {f.enterprise_id for f in scoped} == {f.enterprise_id for f in joined} == seen
    assert not scope_to_jurisdiction(PowerAccount.objects.all(), owner, "enterprise__division").exists()
