"""#13 "Done means" in a real browser against the live server: a case's blacklist proposal becomes an entry,
goes through the notice (with the party's statement), the level above's approval, the decision and the
publication to the public page, and leaves that page on its end date; a new enterprise registered in another
district under the re-written name 常州鑫達特殊鋼鐵（集團）有限公司 shows the screening panel with its band and
evidence on its enterprise page, and 常州市武进区宏达机械有限公司 shows none."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import login, new_context
from steelwatch.cases.models import Case
from steelwatch.credit.models import Entry
from steelwatch.geo.models import Division
from steelwatch.testing import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTED = "常州市武进区鑫达特钢有限公司"
SIMILAR = "常州鑫達特殊鋼鐵（集團）有限公司"
UNRELATED = "常州市武进区宏达机械有限公司"


def _take(page, move: str) -> None:
    page.select_option("#id_to", move)
    page.click("#transition button[type=submit]")
    page.wait_for_load_state("load")


def test_done_means_in_the_browser(page, browser, live_server, owner, city_user, settings):
    settings.CREDIT_HIGHER_APPROVAL = True
    firm = make_enterprise("320412001", name=LISTED, legal_representative="王某某")
    case = Case.objects.create(
        title="鑫达特钢生产地条钢", source="tip", division_id="320412001", enterprise=firm, state="enforcing"
    )

    login(page, "owner")
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    page.click("#act-blacklist_add summary")
    page.fill("#form-blacklist textarea[name=reason]", "以废钢为原料使用中频炉生产地条钢")
    page.click("#form-blacklist button")
    page.wait_for_load_state("load")
    page.get_by_role("button", name="转为信用名单条目").click()
    page.wait_for_load_state("load")
    entry = Entry.objects.get(proposal__case=case)
    expect(page.locator("#entry-state")).to_have_text("拟列入（提请）")

    _take(page, "notified")
    expect(page.locator("#entry-state")).to_have_text("已告知（陈述申辩期）")
    page.fill("#form-statement textarea[name=text]", "对违法事实无异议")
    page.click("#form-statement button")
    page.wait_for_load_state("load")
    page.goto(f"{page.base_url}/credit/{entry.pk}/edit/")
    page.fill("#id_document_number", "武市监信列〔2026〕9号")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("load")
    _take(page, "awaiting_approval")
    expect(page.locator("#entry-state")).to_have_text("报上级审批")

    city = new_context(browser, viewport={"width": 1280, "height": 900}).new_page()
    city.base_url = page.base_url
    login(city, "city")
    city.goto(f"{city.base_url}/credit/{entry.pk}/")
    _take(city, "approved")
    expect(city.locator("#entry-state")).to_have_text("上级已同意")

    page.goto(f"{page.base_url}/credit/{entry.pk}/")
    _take(page, "decided")
    expect(page.locator("#entry-state")).to_have_text("已决定列入（待公示）")
    public = new_context(browser).new_page()
    public.goto(f"{page.base_url}/public/credit/")
    expect(public.locator("main")).not_to_contain_text(LISTED)  # decided, not yet published
    _take(page, "in_force")
    expect(page.locator("#entry-state")).to_have_text("已公示（列入中）")
    public.reload()
    row = public.locator("#public-credit tbody tr", has_text=LISTED)
    expect(row).to_contain_text(firm.uscc)
    expect(row).to_contain_text("武市监信列〔2026〕9号")
    expect(row).to_contain_text("常州市武进区市场监督管理局")
    case.refresh_from_db()
    assert case.blacklist_proposals.get().status == "accepted"

    # its end date: off the public page that very day, before the nightly removal has run
    Entry.objects.filter(pk=entry.pk).update(ends_on=timezone.localdate())
    public.reload()
    expect(public.locator("main")).not_to_contain_text(LISTED)
    Entry.objects.filter(pk=entry.pk).update(ends_on=timezone.localdate().replace(year=2099))

    # screening on the enterprise page (loaded with htmx): flagged with its evidence, never refused
    xinbei = Division.objects.filter(parent_id="320411").order_by("code").values_list("code", flat=True)[0]
    similar = make_enterprise(xinbei, name=SIMILAR)
    unrelated = make_enterprise("320412001", name=UNRELATED)
    city.goto(f"{city.base_url}/ledger/enterprises/{similar.pk}/")
    match = city.locator(f'#credit-screening .screening-match[data-entry="{entry.pk}"]')
    expect(match).to_be_visible()
    assert match.get_attribute("data-band") in ("strong", "review")
    expect(match).to_contain_text("鑫达")
    expect(match).to_contain_text("新北区")
    expect(match).to_contain_text("武进区")
    city.goto(f"{city.base_url}/ledger/enterprises/{unrelated.pk}/")
    expect(city.locator("#screening-clear")).to_be_visible()
    expect(city.locator(".screening-match")).to_have_count(0)
