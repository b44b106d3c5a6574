"""Pledges and responsibility agreements (承诺书 / 目标责任书), signed level by level, a scan per signature."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from steelwatch.core.access import user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create
from steelwatch.geo.models import Division

from ..access import require_manage
from ..models import PledgeRound, PledgeSignature
from ._common import files_atomic, store_upload, user_or_none

LEVELS = [value for value, _label in PledgeRound.Level.choices]
# Who signs at each level, and to whom: the signing unit's division level.
SIGNER_LEVEL = {"district": Division.Level.DISTRICT, "township": Division.Level.TOWNSHIP}


def pledge_round_create(
    *,
    actor,
    division: Division,
    title: str,
    text: str,
    due_on: datetime.date,
    levels: list[str],
    kind: str = PledgeRound.Kind.PLEDGE,
    campaign=None,
) -> PledgeRound:
    require_manage(actor, division.code)
    bad = [lv for lv in levels if lv not in LEVELS]
    if not levels or bad:
        raise ValidationError({"levels": _("签订层级应为 enterprise、township、district 中的一个或多个")})
    round_ = audited_create(
        actor=actor,
        instance=PledgeRound(
            division=division,
            kind=kind,
            title=title,
            text=text,
            due_on=due_on,
            levels=levels,
            campaign=campaign,
            created_by=user_or_none(actor),
        ),
        action="pledge_round_create",
    )
    with stored_language():
        note = _("请于%(due)s前签订：%(title)s") % {"due": due_on.isoformat(), "title": title}
    notify(users_with("oversight.report", division.code), note, f"/oversight/pledges/{round_.pk}/")
    return round_


def pledge_sign(
    *,
    actor,
    round_: PledgeRound,
    signer: str,
    signed_on: datetime.date,
    scan,
    division: Division | None = None,
    enterprise=None,
) -> PledgeSignature:
    """Record one signature with its scan (SHA-256 kept). A district or township signs for itself; an
    enterprise's pledge is recorded by its township (or anyone above it)."""
    if (division is None) == (enterprise is None):
        raise ValidationError(
            {"division_code": _("请提供签订单位的区划代码或企业统一社会信用代码（二选一）")}
        )
    if enterprise is not None:
        level, unit_code = "enterprise", enterprise.division_id
    else:
        level = {v: k for k, v in SIGNER_LEVEL.items()}.get(division.level, "")
        unit_code = division.code
    if level not in round_.levels:
        raise ValidationError({"division_code": _("本轮承诺不包括该层级")})
    if not round_.division.contains(unit_code) or unit_code == round_.division_id:
        raise ValidationError({"division_code": _("签订单位不在发起单位的辖区内")})
    if not user_covers_division(actor, unit_code):
        raise PermissionDenied(_("只能为本单位或辖区内企业登记承诺书"))
    if not signer.strip():
        raise ValidationError({"signer": _("请填写签订人")})
    if scan is None:
        raise ValidationError({"scan": _("请上传签字盖章的扫描件")})
    try:
        with files_atomic() as written:
            path, digest = store_upload(written, scan, f"oversight/pledges/{round_.pk}")
            signature = PledgeSignature.objects.create(
                round=round_,
                level=level,
                division=division,
                enterprise=enterprise,
                signer=signer.strip(),
                signed_on=signed_on,
                scan=path,
                scan_sha256=digest,
                recorded_by=user_or_none(actor),
            )
            audit_record(
                actor=actor,
                action="pledge_sign",
                target=signature,
                after=snapshot(signature),
                division_code=unit_code,
            )
    except IntegrityError:
        raise ValidationError({"division_code": _("该单位已签订本轮承诺书")}) from None
    return signature
