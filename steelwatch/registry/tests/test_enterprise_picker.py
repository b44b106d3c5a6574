"""The enterprise picker (#11 item 2): where an enterprise is typed (opening a case, linking one, sampling,
a tip), the field offers the user's ledger firms by name or USCC as one types; nothing outside the user's
jurisdiction is offered."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import login
from steelwatch.cases.forms import CaseOpenForm, LinkForm
from steelwatch.market.forms import SampleForm
from steelwatch.testing import client_for, make_enterprise, make_user


def _offers(client, q: str, field: str = "q") -> list[str]:
    html = client.get(reverse("registry:enterprise_suggest"), {"field": field, field: q}).content.decode()
    return re.findall(r'<option value="([^"]+)">', html)


@pytest.mark.django_db
def test_offers_by_name_or_code_within_the_jurisdiction_only(owner, outsider):
    mine = make_enterprise("320412001", name="武进精密铸钢厂")
    other = make_enterprise("320412001", name="武进铸钢二厂")
    theirs = make_enterprise("320411003", name="新北铸钢厂")
    office = client_for(owner)
    assert sorted(_offers(office, "铸钢")) == sorted([other.uscc, mine.uscc])  # by name
    assert _offers(office, mine.uscc[:17], field="enterprise_uscc") == [mine.uscc]  # by the start of the code
    assert _offers(office, "铸") == []  # one character is not enough
    assert _offers(office, "新北") == []
    assert _offers(client_for(outsider), "铸钢") == [theirs.uscc]
    page = office.get(reverse("registry:enterprise_suggest"), {"q": "精密"}).content.decode()
    assert "武进精密铸钢厂 · " in page


@pytest.mark.django_db
def test_the_typed_enterprise_fields_carry_the_picker():
    from steelwatch.accounts.models import User
    from steelwatch.market.models import SamplingRound

    for form, name in ((CaseOpenForm(), "enterprise_uscc"), (LinkForm(), "enterprise_uscc")):
        html = str(form[name])
        assert 'list="id_enterprise_uscc-options"' in html and "hx-get=" in html
        assert '<datalist id="id_enterprise_uscc-options"></datalist>' in html
    sample = SampleForm(officers=User.objects.none(), rounds=SamplingRound.objects.none())
    assert 'list="id_enterprise_uscc-options"' in str(sample["enterprise_uscc"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_name_offers_the_firm_in_the_browser(page, owner):
    firm = make_enterprise("320412001", name="武进精密铸钢厂")
    make_user("district_office", "320412", username="picker")
    login(page, "picker")
    page.goto(f"{page.base_url}/cases/new/")
    page.fill("#id_enterprise_uscc", "精密铸")
    expect(page.locator(f'#id_enterprise_uscc-options option[value="{firm.uscc}"]')).to_have_count(1)
