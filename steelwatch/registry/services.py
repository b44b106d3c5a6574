"""Every write to the ledger: validated, scoped to the actor's jurisdiction, audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import can
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.notify import stored_language
from steelwatch.core.screening import enterprise_flag
from steelwatch.core.services import audited_create, audited_update
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_label

from .models import (
    CapacityIncreaseRequest,
    Enterprise,
    Furnace,
    FurnaceStatusChange,
    PowerAccount,
    ProductionLicence,
)
from .uscc import normalize_uscc

# Criteria for the key monitoring list (重点监控企业清单), after the notices: large transformers, main
# business, process equipment, scrap use, power capacity and consumption, management condition.
WATCHLIST_CRITERIA = {
    "transformer": _("大型变压器分布"),
    "business": _("主营业务与用电、装备不符"),
    "equipment": _("工艺装备（中频炉、工频炉等）"),
    "scrap": _("废钢用量"),
    "power": _("电力容量和用电量"),
    "management": _("经营管理状况（如长期停产的僵尸企业）"),
    "history": _("曾取缔“地条钢”产能"),
}


def _check_division(actor, division_code: str) -> None:
    if not Division.objects.filter(code=division_code).exists():
        raise ValidationError(
            {"division": _("行政区划代码 {division_code} 不存在").format(division_code=division_code)}
        )
    if actor is not None and not user_covers_division(actor, division_code):
        raise ValidationError(
            {
                "division": _("行政区划 {division_code} 不在您的管辖范围内").format(
                    division_code=division_label(division_code)
                )
            }
        )


def enterprise_create(*, actor, **fields) -> Enterprise:
    if actor is not None:
        require(actor, "ledger.edit")
    _check_division(actor, fields["division_id"])
    fields["uscc"] = normalize_uscc(fields.get("uscc"))
    with transaction.atomic():
        enterprise = audited_create(actor=actor, instance=Enterprise(**fields))
        enterprise_flag(actor=actor, enterprise=enterprise, context="enterprise_create")
    return enterprise


# What a credit-list screening looks at: a change of any of these screens the enterprise again (operators
# re-register under a new name or move to another district).
SCREENED_FIELDS = ("name", "uscc", "registration_number", "legal_representative", "division_id")


def enterprise_update(*, actor, enterprise: Enterprise, reason: str = "", **changes) -> Enterprise:
    if actor is not None:
        require(actor, "ledger.edit")
    if "division_id" in changes:
        _check_division(actor, changes["division_id"])
    if "uscc" in changes:
        changes["uscc"] = normalize_uscc(changes["uscc"])
    before = {f: getattr(enterprise, f) for f in SCREENED_FIELDS}
    with transaction.atomic():
        audited_update(actor=actor, instance=enterprise, changes=changes, reason=reason)
        if any(getattr(enterprise, f) != value for f, value in before.items()):
            enterprise_flag(actor=actor, enterprise=enterprise, context="enterprise_update")
    return enterprise


@transaction.atomic
def furnace_create(*, actor, enterprise: Enterprise, **fields) -> Furnace:
    if actor is not None:
        require(actor, "ledger.edit")
    furnace = audited_create(
        actor=actor, instance=Furnace(enterprise=enterprise, **fields), division_code=enterprise.division_id
    )
    FurnaceStatusChange.objects.create(
        furnace=furnace,
        status=furnace.status,
        date=furnace.status_date or datetime.date.today(),
        note="登记",
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    return furnace


@transaction.atomic
def furnace_update(*, actor, furnace: Furnace, note: str = "", **changes) -> Furnace:
    """Update a furnace; a status change is also written to its dated history."""
    if actor is not None:
        require(actor, "ledger.edit")
    old_status = furnace.status
    if "status" in changes and changes["status"] != old_status:
        changes.setdefault("status_date", datetime.date.today())
    audited_update(
        actor=actor,
        instance=furnace,
        changes=changes,
        reason=note,
        division_code=furnace.enterprise.division_id,
    )
    if furnace.status != old_status:
        FurnaceStatusChange.objects.create(
            furnace=furnace,
            status=furnace.status,
            date=furnace.status_date,
            note=note,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
    return furnace


def power_account_create(*, actor, **fields) -> PowerAccount:
    if actor is not None:
        require(actor, "ledger.edit")
    _check_division(actor, fields["division_id"])
    return audited_create(actor=actor, instance=PowerAccount(**fields))


def power_account_update(*, actor, account: PowerAccount, reason: str = "", **changes) -> PowerAccount:
    if actor is not None:
        require(actor, "ledger.edit")
    if "division_id" in changes:
        _check_division(actor, changes["division_id"])
    return audited_update(actor=actor, instance=account, changes=changes, reason=reason)


# Production licences are the market regulator's record: registering or editing one takes `licences.edit`
# (market_regulation department staff), not the general `ledger.edit` of offices, townships and grid officers.
# A new licence or a renewal screens the licensee against the credit list (flagged, never refused).
def licence_create(*, actor, enterprise: Enterprise, **fields) -> ProductionLicence:
    if actor is not None:
        require(actor, "licences.edit")
    with transaction.atomic():
        licence = audited_create(
            actor=actor,
            instance=ProductionLicence(enterprise=enterprise, **fields),
            division_code=enterprise.division_id,
        )
        enterprise_flag(actor=actor, enterprise=enterprise, context="licence_create")
    return licence


def licence_update(*, actor, licence: ProductionLicence, reason: str = "", **changes) -> ProductionLicence:
    if actor is not None:
        require(actor, "licences.edit")
    return audited_update(
        actor=actor,
        instance=licence,
        changes=changes,
        reason=reason,
        division_code=licence.enterprise.division_id,
    )


# --- the watchlist (重点监控企业清单): entering or leaving it always has a stated reason ---


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因")})
    return reason


def watchlist_add(*, actor, enterprise: Enterprise, criterion: str, reason: str) -> Enterprise:
    if criterion not in WATCHLIST_CRITERIA:
        raise ValidationError({"criterion": _("未知的列入标准：{criterion}").format(criterion=criterion)})
    reason = _reason_required(reason)
    with stored_language():  # the reason is kept: written in Chinese whoever adds the enterprise
        text = f"{WATCHLIST_CRITERIA[criterion]!s}：{reason}"
    return enterprise_update(
        actor=actor, enterprise=enterprise, reason=text, on_watchlist=True, watchlist_reason=text[:256]
    )


def watchlist_remove(*, actor, enterprise: Enterprise, reason: str) -> Enterprise:
    return enterprise_update(
        actor=actor,
        enterprise=enterprise,
        reason=_reason_required(reason),
        on_watchlist=False,
        watchlist_reason="",
    )


def supervisor_assign(*, actor, enterprise: Enterprise, supervisor, reason: str = "") -> Enterprise:
    """Name the person responsible for a zombie (long-idle) enterprise; they must cover its division."""
    if not enterprise.is_zombie:
        raise ValidationError({"supervisor": _("只有停产（僵尸）企业需要指定监管责任人")})
    if supervisor is not None and not user_covers_division(supervisor, enterprise.division_id):
        raise ValidationError(
            {"supervisor": _("{supervisor} 的管辖范围不包含该企业所在地").format(supervisor=supervisor)}
        )
    return enterprise_update(actor=actor, enterprise=enterprise, reason=reason, supervisor=supervisor)


# --- capacity increases (增容): a classic warning sign, kept with their decision ---


def may_handle_capacity(user) -> bool:
    """The ledger's editors and the power company, which receives capacity-increase requests."""
    return can(user, "ledger.edit") or can(user, "capacity.file")


def require_capacity_handler(actor) -> None:
    """Refuse (403) anyone who may not file or review capacity-increase requests."""
    if not may_handle_capacity(actor):
        require(actor, "capacity.file")


def capacity_request_create(
    *, actor, account: PowerAccount, requested_on: datetime.date, to_kva, reason: str = ""
) -> CapacityIncreaseRequest:
    if actor is not None:
        require_capacity_handler(actor)
    if to_kva is None or to_kva <= account.contracted_kva:
        raise ValidationError(
            {
                "to_kva": _("申请容量应大于现有合同容量 {contracted_kva} kVA").format(
                    contracted_kva=account.contracted_kva
                )
            }
        )
    request = CapacityIncreaseRequest(
        account=account,
        requested_on=requested_on,
        from_kva=account.contracted_kva,
        to_kva=to_kva,
        reason=reason,
    )
    return audited_create(actor=actor, instance=request, division_code=account.division_id)


@transaction.atomic
def capacity_request_decide(
    *, actor, request: CapacityIncreaseRequest, approve: bool, reason: str = ""
) -> CapacityIncreaseRequest:
    """Approve (the account's contracted capacity becomes the requested one) or reject a pending request."""
    if actor is not None:
        require_capacity_handler(actor)
    if request.status != CapacityIncreaseRequest.Status.PENDING:
        raise ValidationError({"status": _("该申请已处理，不能重复审核")})
    status = CapacityIncreaseRequest.Status.APPROVED if approve else CapacityIncreaseRequest.Status.REJECTED
    audited_update(
        actor=actor,
        instance=request,
        changes={"status": status},
        reason=reason,
        division_code=request.account.division_id,
    )
    if approve:  # the approval is the authority for the new capacity (the power company holds no ledger.edit)
        audited_update(
            actor=actor,
            instance=request.account,
            changes={"contracted_kva": request.to_kva},
            reason=f"增容申请批准：{reason}".rstrip("："),
        )
    return request
