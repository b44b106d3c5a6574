"""Roles, departments and what each may do. The one place that answers `can(user, capability)`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("市领导小组办公室")
    DISTRICT_OFFICE = "district_office", _("区县领导小组办公室")
    TOWNSHIP = "township", _("街镇/乡镇")
    GRID_OFFICER = "grid_officer", _("网格员")
    DEPARTMENT_STAFF = "department_staff", _("部门人员")
    TIP_HANDLER = "tip_handler", _("举报受理人员")
    VIEWER = "viewer", _("只读用户")


# Who may grant what: a manager gives only roles ranked at or below their own (accounts.services).
ROLE_RANK = {"city_office": 3, "district_office": 2, "township": 1}


class Department(models.TextChoices):
    DEVELOPMENT_REFORM = "development_reform", _("发展改革")
    INDUSTRY_IT = "industry_it", _("工业和信息化")
    MARKET_REGULATION = "market_regulation", _("市场监管")
    HOUSING_CONSTRUCTION = "housing_construction", _("住房和城乡建设")
    TRANSPORT = "transport", _("交通运输")
    ENVIRONMENT = "environment", _("生态环境")
    WORK_SAFETY = "work_safety", _("应急管理（安监）")
    POLICE = "police", _("公安")
    POWER_COMPANY = "power_company", _("供电公司")
    WATER_UTILITY = "water_utility", _("供水公司")
    TAX = "tax", _("税务")
    CUSTOMS = "customs", _("海关")
    LAND = "land", _("自然资源（国土）")
    BANK = "bank", _("银行")


_OFFICE = {
    "ledger.view",
    "ledger.edit",
    "ledger.import",
    "ledger.export",
    "alerts.view",
    "alerts.handle",
    "power.upload",
    "cases.view",
    "cases.open",
    "cases.manage",
    "cases.task",
    "tips.view",
    "tips.stats",
    "tips.reward",
    "tips.oversee",
    "users.manage",
    "market.view",
    "oversight.view",
    "oversight.manage",
    "credit.screen",
    "credit.view",
    "credit.decide",
    "field.view",
    "field.patrol",
    "field.manage",
    "draws.manage",
}
ROLE_CAPABILITIES: dict[str, set[str]] = {
    # The expert panel (专家库) is the city's.
    Role.CITY_OFFICE: _OFFICE
    | {"closure.signoff", "consolidation.run", "credit.catalogue", "experts.manage"},
    Role.DISTRICT_OFFICE: _OFFICE | {"closure.signoff", "oversight.report"},
    Role.TOWNSHIP: {
        "ledger.view",
        "ledger.edit",
        "ledger.import",
        "ledger.export",
        "cases.view",
        "cases.open",
        "cases.manage",
        "cases.task",
        "alerts.view",
        "oversight.view",
        "oversight.report",
        "credit.screen",
        "credit.view",
        "field.view",
        "field.patrol",
    },
    Role.GRID_OFFICER: {"ledger.view", "ledger.edit", "cases.task", "field.patrol"},
    Role.DEPARTMENT_STAFF: {
        "ledger.view",
        "cases.task",
        "field.patrol",
        "oversight.view",
        "credit.screen",
        "credit.measures",
    },
    Role.TIP_HANDLER: {
        "ledger.view",
        "tips.view",
        "tips.handle",
        "tips.reveal",
        "tips.stats",
        "cases.view",
        "cases.open",
    },
    Role.VIEWER: {
        "ledger.view",
        "ledger.export",
        "cases.view",
        "alerts.view",
        "tips.stats",
        "market.view",
        "oversight.view",
        "credit.view",
        "field.view",
    },
}
# What a department adds to the department_staff role.
DEPARTMENT_CAPABILITIES: dict[str, set[str]] = {
    Department.POWER_COMPANY: {
        "alerts.view",
        "alerts.handle",
        "power.upload",
        "cut_orders.execute",
        "cases.open",
        "capacity.file",  # files and reviews capacity-increase requests (增容申请)
    },
    Department.WATER_UTILITY: {"cut_orders.execute"},
    Department.INDUSTRY_IT: {"alerts.view", "cases.view", "ledger.edit"},
    Department.DEVELOPMENT_REFORM: {"alerts.view", "cases.view"},
    # Sampling officers and the licence register: market.sample takes samples and records lab results,
    # market.manage runs plans, rounds, service, re-tests, disposal and publication, market.goods keeps the
    # sellers' incoming-goods records and the mills' billet sources. The market regulator also decides
    # credit-list entries (SAMR Order 44) and sees all of its area's.
    Department.MARKET_REGULATION: {
        "licences.edit",
        "cases.view",
        "cases.open",
        "market.view",
        "market.sample",
        "market.manage",
        "market.goods",
        "credit.view",
        "credit.decide",
    },
    # The police receive referrals (移送司法) and record their acceptance and outcome.
    Department.POLICE: {"cases.view", "judicial.record"},
}


def capabilities(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set().union(*ROLE_CAPABILITIES.values(), *DEPARTMENT_CAPABILITIES.values())
    caps = set(ROLE_CAPABILITIES.get(user.role, set()))
    if user.role == Role.DEPARTMENT_STAFF and user.department:
        caps |= DEPARTMENT_CAPABILITIES.get(user.department, set())
    return caps


def can(user, capability: str) -> bool:
    return capability in capabilities(user)


# Capabilities that require a second factor (TOTP) at login: revealing a reporter's identity, approving
# rewards, deciding credit-list entries (the credit app's capability). Optional for everyone else.
SECOND_FACTOR_CAPABILITIES = frozenset({"tips.reveal", "tips.reward", "credit.decide"})


def needs_second_factor(user) -> bool:
    return bool(capabilities(user) & SECOND_FACTOR_CAPABILITIES)
