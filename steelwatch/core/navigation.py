"""The navigation menu: each app registers its entries with the capability that shows them.

Every entry must open (200) for every user it is shown to: core/tests/test_menu.py walks the menu of every
role and department."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation (gettext_lazy), shown by the templates
    url_name: str
    capability: str
    unless: str = ""  # hidden from users holding this capability (they reach the page another way)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("首页"), "core:home", ""),
    NavItem(_("台账"), "registry:enterprise_list", "ledger.view"),
    NavItem(_("台账导入"), "ledger_excel:import", "ledger.import"),
    NavItem(_("半年归集"), "ledger_excel:consolidation", "consolidation.run"),
    NavItem(_("用电告警"), "power:alert_list", "alerts.view"),
    NavItem(_("案件"), "cases:case_list", "cases.view"),
    NavItem(_("我的任务"), "cases:my_tasks", "cases.task"),
    NavItem(_("僵尸企业监管"), "cases:zombie_list", "cases.view"),
    NavItem(_("举报"), "tips:tip_list", "tips.view"),
    # Read-only users see the tip statistics, not the tips themselves (others open them from the tips page).
    NavItem(_("举报统计"), "tips:stats", "tips.stats", unless="tips.view"),
    NavItem(_("双随机公示"), "field_public:draw_list", "field.view"),
]
