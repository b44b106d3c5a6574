"""Licence supervision (工业产品生产许可证管理条例 2023): validity, renewal warnings, annual self-inspection,
rectification orders, suspension and revocation — the writes (audited, notified to the licensee's district),
the supervision status of a licence, and the check of a licence number named on a label or a delivery note.

Status of a licence (the `status` filter of `GET /api/v1/licences`):
revoked / suspended (by decision) > rectifying (an order pending) > expired > expiring (renewal due:
less than 6 months to go, Art 25) > valid.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steelwatch.core.access import require
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create

from .access import licences_for
from .models import (
    LicenceDecision,
    LicenceRectification,
    LicenceReminder,
    LicenceSelfInspection,
    ProductionLicence,
)

VALIDITY_YEARS = 5  # Art 25: a licence is valid for 5 years
RENEWAL_MONTHS = 6  # Art 25: renewal is applied for 6 months before expiry
STATUSES = {
    "valid": gettext_lazy("有效"),
    "expiring": gettext_lazy("即将到期（须申请延续）"),
    "expired": gettext_lazy("已过期"),
    "rectifying": gettext_lazy("限期整改中"),
    "suspended": gettext_lazy("暂停"),
    "revoked": gettext_lazy("撤销"),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(valid_from: datetime.date) -> datetime.date:
    return add_months(valid_from, 12 * VALIDITY_YEARS) - datetime.timedelta(days=1)


def validity_error(valid_from, valid_until) -> str:
    if not (valid_from and valid_until):
        return ""
    if valid_until < valid_from:
        return _("有效期至不能早于有效期起")
    if valid_until > add_months(valid_from, 12 * VALIDITY_YEARS):
        return _(
            "生产许可证有效期为{years}年（工业产品生产许可证管理条例第二十五条）：有效期至不能晚于 {day}"
        ).format(years=VALIDITY_YEARS, day=default_valid_until(valid_from))
    return ""


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def renewal_due(licence: ProductionLicence) -> datetime.date:
    return add_months(licence.valid_until, -RENEWAL_MONTHS)


def _pending_rectification():
    return Exists(
        LicenceRectification.objects.filter(
            licence=OuterRef("pk"), outcome=LicenceRectification.Outcome.PENDING
        )
    )


def status_q(status: str, today: datetime.date) -> Q:
    """The rows of one supervision status (on a queryset annotated by `with_status`)."""
    valid = Q(status=ProductionLicence.Status.VALID)
    settled = valid & Q(rectifying=False)
    soon = add_months(today, RENEWAL_MONTHS)
    return {
        "revoked": Q(status=ProductionLicence.Status.REVOKED),
        "suspended": Q(status=ProductionLicence.Status.SUSPENDED),
        "rectifying": valid & Q(rectifying=True),
        "expired": settled & Q(valid_until__lt=today),
        "expiring": settled & Q(valid_until__gte=today, valid_until__lt=soon),
        "valid": settled & Q(valid_until__gte=soon),
    }[status]


def with_status(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(rectifying=_pending_rectification())


def supervision_status(licence: ProductionLicence, today=None) -> str:
    today = _today(today)
    if licence.status != ProductionLicence.Status.VALID:
        return licence.status
    rectifying = getattr(licence, "rectifying", None)
    if rectifying is None:
        rectifying = licence.rectifications.filter(outcome=LicenceRectification.Outcome.PENDING).exists()
    if rectifying:
        return "rectifying"
    if licence.valid_until < today:
        return "expired"
    if licence.valid_until < add_months(today, RENEWAL_MONTHS):
        return "expiring"
    return "valid"


def licence_list(user, *, status: str = "", division: str = "", today=None) -> QuerySet:
    """Licences of the user's jurisdiction with their supervision status, optionally one status / area."""
    today = _today(today)
    queryset = with_status(licences_for(user).select_related("enterprise__division"))
    if division:
        queryset = queryset.filter(enterprise__division__code__startswith=division)
    if status:
        queryset = queryset.filter(status_q(status, today))
    return queryset.order_by("valid_until", "pk")


def licence_board(user, *, division: str = "", today=None) -> dict[str, list]:
    """A district's list: the licences expiring, expired, under rectification, suspended and revoked (of the
    user's jurisdiction, or of one `division` in it)."""
    today = _today(today)
    pending = LicenceRectification.objects.filter(
        licence=OuterRef("pk"), outcome=LicenceRectification.Outcome.PENDING
    ).order_by("deadline")
    queryset = licence_list(user, division=division, today=today).annotate(
        rectify_by=Subquery(pending.values("deadline")[:1])
    )
    return {
        key: list(queryset.filter(status_q(key, today))[:200])
        for key in ("expiring", "expired", "rectifying", "suspended", "revoked")
    }


# --- writes ----------------------------------------------------------------------------------------------


def _district(licence: ProductionLicence) -> str:
    return licence.enterprise.division_id[:6]


def _tell_district(licence: ProductionLicence, text: str) -> None:
    district = _district(licence)
    users = {u.pk: u for cap in ("licences.edit", "ledger.edit") for u in users_with(cap, district)}
    notify(list(users.values()), text, reverse("registry:enterprise_detail", args=[licence.enterprise_id]))


@transaction.atomic
def licence_self_inspection_record(
    *,
    actor,
    licence: ProductionLicence,
    year: int,
    submitted_on: datetime.date,
    conforming: bool,
    note: str = "",
) -> LicenceSelfInspection:
    require(actor, "licences.edit")
    if licence.self_inspections.filter(year=year).exists():
        raise ValidationError({"year": _("{year} 年度自查报告已登记").format(year=year)})
    report = audited_create(
        actor=actor,
        action="licence_self_inspection",
        division_code=licence.enterprise.division_id,
        instance=LicenceSelfInspection(
            licence=licence,
            year=year,
            submitted_on=submitted_on,
            conforming=conforming,
            note=note,
            recorded_by=actor,
        ),
    )
    with stored_language():  # every supervision step is told to the licensee's district
        verdict = "符合发证条件" if conforming else "不符合发证条件"
        _tell_district(
            licence, f"生产许可证 {licence.number}（{licence.enterprise.name}）{year} 年度自查报告：{verdict}"
        )
    return report


@transaction.atomic
def licence_rectification_order(
    *,
    actor,
    licence: ProductionLicence,
    ordered_on: datetime.date,
    deadline: datetime.date,
    requirement: str,
    document: str,
) -> LicenceRectification:
    require(actor, "licences.edit")
    if deadline < ordered_on:
        raise ValidationError({"deadline": _("整改期限不能早于责令日期")})
    if not document.strip():
        raise ValidationError({"document": _("请填写责令整改文书号")})
    order = audited_create(
        actor=actor,
        action="licence_rectification_order",
        division_code=licence.enterprise.division_id,
        instance=LicenceRectification(
            licence=licence,
            ordered_on=ordered_on,
            deadline=deadline,
            requirement=requirement,
            document=document.strip(),
            recorded_by=actor,
        ),
    )
    with stored_language():
        _tell_district(
            licence,
            f"生产许可证 {licence.number}（{licence.enterprise.name}）责令限期整改，期限 {deadline:%Y-%m-%d}",
        )
    return order


@transaction.atomic
def licence_rectification_close(
    *, actor, order: LicenceRectification, outcome: str, outcome_on: datetime.date, note: str = ""
) -> LicenceRectification:
    require(actor, "licences.edit")
    if order.outcome != LicenceRectification.Outcome.PENDING:
        raise ValidationError({"outcome": _("该整改已有结果")})
    if outcome not in (LicenceRectification.Outcome.RECTIFIED, LicenceRectification.Outcome.FAILED):
        raise ValidationError({"outcome": _("整改结果应为 rectified 或 failed")})
    before = snapshot(order)
    order.outcome, order.outcome_on, order.outcome_note = outcome, outcome_on, note
    order.full_clean()
    order.save()
    audit_record(
        actor=actor,
        action="licence_rectification_close",
        target=order,
        before=before,
        after=snapshot(order),
        division_code=order.licence.enterprise.division_id,
    )
    with stored_language():
        _tell_district(
            order.licence,
            f"生产许可证 {order.licence.number} 整改验收：{order.get_outcome_display()}",
        )
    return order


DECISION_STATUS = {
    LicenceDecision.Kind.SUSPEND: ProductionLicence.Status.SUSPENDED,
    LicenceDecision.Kind.REVOKE: ProductionLicence.Status.REVOKED,
    LicenceDecision.Kind.REINSTATE: ProductionLicence.Status.VALID,
}


@transaction.atomic
def licence_decide(
    *, actor, licence: ProductionLicence, kind: str, decided_on: datetime.date, document: str, reason: str
) -> LicenceDecision:
    """Suspend, revoke or reinstate a licence; the deciding document is required. A revoked licence stays so."""
    require(actor, "licences.edit")
    if kind not in DECISION_STATUS:
        raise ValidationError({"kind": _("决定应为 suspend、revoke 或 reinstate")})
    if not document.strip():
        raise ValidationError({"document": _("请填写决定文书号")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写理由")})
    if licence.status == ProductionLicence.Status.REVOKED:
        raise ValidationError({"kind": _("许可证已撤销，不能再作决定")})
    if kind == LicenceDecision.Kind.REINSTATE and licence.status != ProductionLicence.Status.SUSPENDED:
        raise ValidationError({"kind": _("只有暂停的许可证可以恢复")})
    decision = audited_create(
        actor=actor,
        action=f"licence_{kind}",
        division_code=licence.enterprise.division_id,
        instance=LicenceDecision(
            licence=licence,
            kind=kind,
            decided_on=decided_on,
            document=document.strip(),
            reason=reason,
            recorded_by=actor,
        ),
    )
    before = snapshot(licence)
    licence.status = DECISION_STATUS[kind]
    licence.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="licence_status",
        target=licence,
        before=before,
        after=snapshot(licence),
        reason=f"{document.strip()}：{reason}",
        division_code=licence.enterprise.division_id,
    )
    with stored_language():
        _tell_district(
            licence,
            f"生产许可证 {licence.number}（{licence.enterprise.name}）{decision.get_kind_display()}（{decision.document}）",
        )
    return decision


def overdue_rectifications(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Rectification orders still pending after their deadline."""
    return queryset.filter(outcome=LicenceRectification.Outcome.PENDING, deadline__lt=today)


def licence_reminders(*, today: datetime.date | None = None) -> dict:
    """Warn the licensee's district once when renewal falls due (6 months before expiry), once at expiry,
    and once when a rectification order's deadline has passed without an outcome."""
    today = _today(today)
    sent = {"renewal": 0, "expired": 0, "rectification": 0}
    orders = overdue_rectifications(LicenceRectification.objects.all(), today).select_related(
        "licence__enterprise"
    )
    for order in orders:
        licence = order.licence
        with transaction.atomic(), stored_language():
            _, created = LicenceReminder.objects.get_or_create(
                licence=licence, kind="rectification", valid_until=order.deadline
            )
            if created:
                _tell_district(
                    licence,
                    f"生产许可证 {licence.number}（{licence.enterprise.name}）限期整改（{order.document}）"
                    f"已于 {order.deadline:%Y-%m-%d} 到期，尚未验收：请记录整改结果或依法处理",
                )
                sent["rectification"] += 1
    valid = ProductionLicence.objects.filter(status=ProductionLicence.Status.VALID).select_related(
        "enterprise"
    )
    for licence in valid.filter(valid_until__lt=add_months(today, RENEWAL_MONTHS)):
        kind = "expired" if licence.valid_until < today else "renewal"
        with transaction.atomic(), stored_language():
            _, created = LicenceReminder.objects.get_or_create(
                licence=licence, kind=kind, valid_until=licence.valid_until
            )
            if not created:
                continue
            text = (
                f"生产许可证 {licence.number}（{licence.enterprise.name}）已于 {licence.valid_until:%Y-%m-%d} 到期"
                if kind == "expired"
                else f"生产许可证 {licence.number}（{licence.enterprise.name}）将于 {licence.valid_until:%Y-%m-%d} 到期，"
                f"应在到期前6个月内申请延续"
            )
            _tell_district(licence, text)
            sent[kind] += 1
    return sent


# --- checking a licence number named on a label or a delivery note ----------------------------------------


# The words a licence's 许可范围 uses for each product (建筑用钢筋 is the catalogue's unit covering both
# hot-rolled products; 冷轧带肋钢筋 is another product of it). A product not listed needs "钢筋" in the scope.
SCOPE_WORDS = {
    "热轧带肋钢筋": ("热轧带肋", "热轧钢筋", "建筑用钢筋"),
    "热轧光圆钢筋": ("热轧光圆", "热轧钢筋", "建筑用钢筋"),
}


def scope_covers(scope: str, product_label: str) -> bool:
    """Whether a licence's scope covers the product (its Chinese label, e.g. 热轧带肋钢筋)."""
    scope = (scope or "").replace(" ", "")
    words = SCOPE_WORDS.get(product_label)
    if words is None:
        return "钢筋" not in product_label or "钢筋" in scope
    return any(word in scope for word in words)


def licence_number_findings(
    number: str, *, manufacturer_uscc: str = "", product_label: str = "", on: datetime.date | None = None
) -> list[str]:
    """What is wrong with a licence number (empty list: it is a valid licence for this product and holder)."""
    number = (number or "").strip()
    on = _today(on)
    if not number:
        return [_("未提供生产许可证编号")]
    licence = ProductionLicence.objects.filter(number__iexact=number).select_related("enterprise").first()
    if licence is None:
        return [_("生产许可证编号 {number} 不在许可证登记中").format(number=number)]
    findings = []
    if licence.status == ProductionLicence.Status.REVOKED:
        findings.append(_("生产许可证 {number} 已撤销").format(number=number))
    elif licence.status == ProductionLicence.Status.SUSPENDED:
        findings.append(_("生产许可证 {number} 已暂停").format(number=number))
    if licence.valid_until < on:
        findings.append(
            _("生产许可证 {number} 已于 {day} 过期").format(
                number=number, day=licence.valid_until.isoformat()
            )
        )
    if product_label and not scope_covers(licence.scope, product_label):
        findings.append(
            _("生产许可证 {number} 的许可范围“{scope}”不含{product}").format(
                number=number, scope=licence.scope, product=product_label
            )
        )
    if manufacturer_uscc and licence.enterprise.uscc != manufacturer_uscc.strip().upper():
        findings.append(
            _("生产许可证 {number} 的持证企业为{holder}，与所称生产企业不符").format(
                number=number, holder=licence.enterprise.name
            )
        )
    return findings
