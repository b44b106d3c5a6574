"""双随机、一公开: the item list, the inspector directory with declared interests, and the verifiable draw —
frozen first (lists, hashes, commitment), run once the announced value is known (sortition.py)."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core.access import require, user_covers_division
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.workdays import add_working_days
from steelwatch.credit.models import Entry
from steelwatch.geo.models import Division
from steelwatch.registry.models import Enterprise
from steelwatch.registry.selectors import FLAG_FILTERS, with_furnace_user

from .. import sortition
from ..models import Draw, DrawInspection, InspectionItem, Inspector, InspectorInterest

TARGET_FILTER_KEYS = {"flag", "status", "watchlist", "credit"}
# The credit class of the object directory: on the serious-dishonesty list, the abnormal-operations list, or either.
CREDIT_CLASSES = ("serious", "abnormal", "listed")


def inspection_item_save(
    *, actor, code: str, name: str, kind: str, sampling_ratio, basis: str = "", checklist=()
) -> InspectionItem:
    require(actor, "draws.manage")
    item = InspectionItem.objects.filter(code=code).first()
    values = {
        "name": name,
        "kind": kind,
        "sampling_ratio": sampling_ratio,
        "basis": basis,
        "checklist": list(checklist),
    }
    if item is None:
        return audited_create(actor=actor, instance=InspectionItem(code=code, **values), action="item_create")
    return audited_update(actor=actor, instance=item, changes=values, action="item_update")


def inspector_enrol(*, actor, user, department: str) -> Inspector:
    require(actor, "draws.manage")
    if not user.division_id or not user_covers_division(actor, user.division_id):
        raise ValidationError({"username": _("该用户不在您的管辖范围内")})
    inspector = Inspector.objects.filter(user=user).first()
    if inspector:
        return audited_update(
            actor=actor, instance=inspector, changes={"department": department, "active": True}
        )
    return audited_create(
        actor=actor,
        instance=Inspector(user=user, department=department),
        action="inspector_enrol",
        division_code=user.division_id,
    )


def interest_declare(
    *, actor, inspector: Inspector, enterprise: Enterprise, reason: str
) -> InspectorInterest:
    """The inspector himself, or an office with draws.manage, records an interest (回避 before the draw)."""
    if actor.pk != inspector.user_id:
        require(actor, "draws.manage")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写利害关系（如：亲属在该企业任职）")})
    existing = InspectorInterest.objects.filter(inspector=inspector, enterprise=enterprise).first()
    if existing:
        return audited_update(actor=actor, instance=existing, changes={"reason": reason[:256]})
    return audited_create(
        actor=actor,
        instance=InspectorInterest(
            inspector=inspector, enterprise=enterprise, reason=reason[:256], declared_by=actor
        ),
        action="interest_declare",
        division_code=enterprise.division_id,
    )


def _object_directory(division: Division, target_filter: dict) -> list[Enterprise]:
    """The object directory: ledger enterprises of the division, by kind/status/watchlist, in USCC order."""
    unknown = set(target_filter) - TARGET_FILTER_KEYS
    if unknown:
        raise ValidationError(
            {"target_filter": _("不支持的筛选条件：{keys}").format(keys="、".join(sorted(unknown)))}
        )
    qs = with_furnace_user(
        Enterprise.objects.filter(on_ledger=True, division__code__startswith=division.prefix)
    )
    flag = target_filter.get("flag")
    if flag:
        if flag not in FLAG_FILTERS:
            raise ValidationError({"target_filter": _("未知的企业类别：{flag}").format(flag=flag)})
        qs = qs.filter(FLAG_FILTERS[flag])
    if target_filter.get("status"):
        qs = qs.filter(status=target_filter["status"])
    if target_filter.get("watchlist"):
        qs = qs.filter(on_watchlist=True)
    credit = target_filter.get("credit")
    if credit:
        if credit not in CREDIT_CLASSES:
            raise ValidationError({"target_filter": _("信用类别应为 serious、abnormal 或 listed")})
        listed = Entry.objects.filter(state__in=Entry.LISTED_STATES).exclude(uscc="")
        if credit != "listed":
            listed = listed.filter(list_kind=credit)
        qs = qs.filter(uscc__in=listed.values("uscc"))
    return list(qs.order_by("uscc"))


def _inspector_directory(division: Division) -> list[Inspector]:
    ancestors = [d.code for d in division.ancestors()]
    return list(
        Inspector.objects.filter(active=True, user__is_active=True)
        .filter(Q(user__division__code__startswith=division.prefix) | Q(user__division_id__in=ancestors))
        .select_related("user")
        .order_by("user__username")
    )


def _exclusions(targets: list[Enterprise], inspectors: list[Inspector]) -> list[dict]:
    """(inspector, target) pairs that may never be drawn, with why: a declared interest, the target's own grid."""
    by_pk = {e.pk: e for e in targets}
    excluded: dict[tuple[str, str], str] = {}
    interests = InspectorInterest.objects.filter(
        inspector__in=inspectors, enterprise_id__in=list(by_pk)
    ).select_related("inspector__user")
    for interest in interests:
        key = (interest.inspector.user.username, by_pk[interest.enterprise_id].uscc)
        excluded[key] = _("申报利害关系：{reason}").format(reason=interest.reason)
    for inspector in inspectors:
        grid_id = inspector.user.grid_id
        if not grid_id:
            continue
        for target in targets:
            if target.grid_id == grid_id:
                excluded.setdefault(
                    (inspector.user.username, target.uscc), _("检查人员为该企业所在网格的网格员")
                )
    return [
        {"inspector": inspector, "target": target, "reason": reason}
        for (inspector, target), reason in sorted(excluded.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def _check_size(
    item: InspectionItem, candidates: int, targets: int, inspectors: int, per_target: int
) -> None:
    if per_target < 2:
        raise ValidationError({"inspectors_per_target": _("每户至少抽取 2 名检查人员")})
    if targets < 1 or targets > candidates:
        raise ValidationError(
            {"targets": _("抽取对象数应为 1 至 {n}（符合条件的对象数）").format(n=candidates)}
        )
    if item.kind == InspectionItem.Kind.GENERAL:
        cap = max(1, math.ceil(candidates * float(item.sampling_ratio) / 100))
        if targets > cap:
            raise ValidationError(
                {
                    "targets": _("一般检查事项的抽查比例上限为 {ratio}%：最多抽取 {cap} 户").format(
                        ratio=item.sampling_ratio, cap=cap
                    )
                }
            )
    if inspectors < per_target:
        raise ValidationError({"inspectors_per_target": _("检查人员名录不足 {n} 人").format(n=per_target)})


@transaction.atomic
def draw_freeze(
    *, actor, item: InspectionItem, division_code: str, target_filter: dict, targets: int,
    inspectors_per_target: int = 2,
) -> Draw:  # fmt: skip
    """Step (a): fix both key lists in their published order, the exclusions, and commit to a secret."""
    require(actor, "draws.manage")
    if not user_covers_division(actor, division_code):
        raise ValidationError(
            {"division_code": _("行政区划 {code} 不在您的管辖范围内").format(code=division_code)}
        )
    division = Division.objects.filter(code=division_code).first()
    if division is None:
        raise ValidationError({"division_code": _("未知的行政区划代码 {code}").format(code=division_code)})
    if not item.active:
        raise ValidationError({"item": _("该检查事项已停用")})
    candidates = _object_directory(division, dict(target_filter or {}))
    inspectors = _inspector_directory(division)
    _check_size(item, len(candidates), targets, len(inspectors), inspectors_per_target)
    candidate_keys = [e.uscc for e in candidates]
    inspector_keys = [i.user.username for i in inspectors]
    secret = sortition.new_secret()
    draw = Draw(
        item=item,
        division=division,
        target_filter=dict(target_filter or {}),
        targets=targets,
        inspectors_per_target=inspectors_per_target,
        candidates=candidate_keys,
        inspectors=inspector_keys,
        exclusions=_exclusions(candidates, inspectors),
        candidates_sha256=sortition.list_sha256(candidate_keys),
        inspectors_sha256=sortition.list_sha256(inspector_keys),
        secret=secret,
        commitment=sortition.commitment_of(secret),
        created_by=actor,
    )
    return audited_create(actor=actor, instance=draw, action="draw_freeze", division_code=division.code)


@transaction.atomic
def draw_run(*, actor, draw: Draw, announced_value: str) -> Draw:
    """Step (b): seed from the secret and the announced value, rank, pick, reveal the secret."""
    require(actor, "draws.manage")
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status != Draw.Status.FROZEN:
        raise ValidationError({"status": _("该抽取已运行，不能再次抽取")})
    announced_value = (announced_value or "").strip()
    if not announced_value:
        raise ValidationError({"announced_value": _("请填写事先公布来源的公开随机值（如福彩开奖号码）")})
    seed = sortition.seed_of(draw.secret, announced_value)
    picks = sortition.draw_picks(
        seed_hex=seed,
        candidates=draw.candidates,
        inspectors=draw.inspectors,
        targets=draw.targets,
        per_target=draw.inspectors_per_target,
        excluded={(e["inspector"], e["target"]) for e in draw.exclusions},
    )
    now = timezone.now()
    draw = audited_update(
        actor=actor,
        instance=draw,
        action="draw_run",
        division_code=draw.division_id,
        changes={
            "status": Draw.Status.RUN,
            "announced_value": announced_value[:128],
            "seed": seed,
            "picks": picks,
            "run_at": now,
            "publish_by": add_working_days(timezone.localdate(now), settings.FIELD_DRAW_PUBLISH_WORKING_DAYS),
        },
    )
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__in=draw.inspectors)}
    sites = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[p["target"] for p in picks])}
    for pick in picks:
        inspection = DrawInspection.objects.create(draw=draw, enterprise=sites[pick["target"]])
        inspection.inspectors.add(*[users[name] for name in pick["inspectors"]])
    return draw


def draw_publish(*, actor, draw: Draw) -> Draw:
    require(actor, "draws.manage")
    if draw.status != Draw.Status.RUN:
        raise ValidationError({"status": _("抽取运行后才能公示")})
    return audited_update(
        actor=actor, instance=draw, action="draw_publish", changes={"published": True}, reason=""
    )


def inspection_record_result(
    *, actor, inspection: DrawInspection, result: str, summary: str = ""
) -> DrawInspection:
    if not inspection.inspectors.filter(pk=actor.pk).exists():
        require(actor, "draws.manage")
    if result not in (DrawInspection.Result.PASSED, DrawInspection.Result.FAILED):
        raise ValidationError({"result": _("请选择检查结果")})
    return audited_update(
        actor=actor,
        instance=inspection,
        action="draw_inspection_result",
        division_code=inspection.enterprise.division_id,
        changes={"result": result, "summary": summary.strip()[:256], "done_at": timezone.now()},
    )
