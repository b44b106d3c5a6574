"""The navigation menu: each app registers its entries with the capability that shows them.

Every entry must open (200) for every user it is shown to: core/tests/test_menu.py walks the menu of every
role and department."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise  # a lazy translation
    url_name: str
    capability: str
    unless: str = ""  # hidden from users holding this capability (they reach the page another way)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("首页"), "core:home", ""),
    NavItem(_("台账"), "registry:enterprise_list", "ledger.view"),
    NavItem(_("台账导入"), "ledger_excel:import", "ledger.import"),
    NavItem(_("半年归集"), "ledger_excel:consolidation", "consolidation.run"),
    NavItem(_("用电告警"), "power:alert_list", "alerts.view"),
    NavItem(_("增容申请"), "registry:capacity_request_list", "ledger.edit"),
    NavItem(_("增容申请"), "registry:capacity_request_list", "capacity.file", unless="ledger.edit"),
    NavItem(_("案件"), "cases:case_list", "cases.view"),
    NavItem(_("我的任务"), "cases:my_tasks", "cases.task"),
    NavItem(_("网格巡查"), "field:patrol", "field.patrol"),
    NavItem(_("回头看"), "cases:revisit_list", "cases.view"),
    NavItem(_("僵尸企业监管"), "cases:zombie_list", "cases.view"),
    NavItem(_("市场监管"), "market:home", "market.view"),
    NavItem(_("信用名单"), "credit:entry_list", "credit.view"),
    # Departments that only carry out joint punishment see the entries whose measures they implement.
    NavItem(_("联合惩戒"), "credit:department_entries", "credit.measures", unless="credit.view"),
    NavItem(_("举报"), "tips:tip_list", "tips.view"),
    NavItem(_("人员与网格"), "people:user_list", "users.manage"),
    # Read-only users see the tip statistics, not the tips themselves (others open them from the tips page).
    NavItem(_("举报统计"), "tips:stats", "tips.stats", unless="tips.view"),
    NavItem(_("督查考核"), "oversight:home", "oversight.view"),
    NavItem(_("现场监管"), "field:home", "field.view"),
    NavItem(_("双随机公示"), "field_public:draw_list", "field.view"),
]
