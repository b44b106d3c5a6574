"""The navigation menu: each app registers its entries with the capability that shows them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str


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
]
