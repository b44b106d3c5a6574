"""Every write to tips: receiving, handling, escalating, rewarding. Keyword-only, transactional, audited.

The reporter's identity goes only into `Tip.reporter_ciphertext`; functions that hold it in a local
variable are marked `sensitive_variables`, so Django's error reports never show it.
"""

import datetime
import math
import re
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from steelwatch.cases.services import case_open
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.workdays import add_working_days
from steelwatch.geo.models import Division
from steelwatch.geo.region import in_region, is_region_office, region_name, region_q
from steelwatch.geo.selectors import division_label
from steelwatch.registry.models import Enterprise

from . import media
from .access import may_reveal
from .crypto import client_digest, decrypt_json, encrypt_json, key_digest, new_key, new_receipt, rotate_token
from .models import (
    REWARD_CAP,
    PublicSubmission,
    Reward,
    RewardRule,
    Tip,
    TipAttachment,
    TipNote,
    TipQuestion,
    TipReminder,
    TipSupplement,
)

HANDOFF_DAYS = 1  # 交办：1 个工作日内
VERIFY_DAYS = 10  # 核查：10 个工作日内
MATCH_RADIUS_KM = 5.0  # coordinates → division: the nearest ledger enterprise within this distance
METRES_PER_DEGREE = 111_320  # of latitude (and of longitude at the equator)
NEAREST_CANDIDATES = 5  # the nearest by flat-earth distance, re-measured on the sphere
DUPLICATE_RADIUS_M = 200
DUPLICATE_DAYS = 30
RATE_LIMITS = {  # per client and hour, counted in the database so that every process shares them
    "submit": getattr(settings, "TIP_SUBMISSIONS_PER_HOUR", 10),
    "lookup": getattr(settings, "TIP_LOOKUPS_PER_HOUR", 60),
}
PHONE = re.compile(r"^[0-9+\-\s()]{5,20}$")


class RateLimited(Exception):
    """Too many public requests from one client: refused before any work is done."""


def _now():
    return timezone.now()


# --- the public channel's guards ------------------------------------------------------------------


def public_rate_check(*, ip: str, kind: str, spend: bool = True) -> None:
    """Refuse when the client has used up its hourly allowance; with `spend`, count this request too."""
    now = _now()
    client = client_digest(ip or "unknown")
    PublicSubmission.objects.filter(at__lt=now - datetime.timedelta(days=1)).delete()
    recent = PublicSubmission.objects.filter(
        client=client, kind=kind, at__gte=now - datetime.timedelta(hours=1)
    )
    if recent.count() >= RATE_LIMITS[kind]:
        raise RateLimited(_("提交过于频繁，请一小时后再试；紧急情况请拨打举报电话"))
    if spend:
        PublicSubmission.objects.create(client=client, kind=kind, at=now)


def public_rate_record(*, ip: str, kind: str) -> None:
    """Count one request against the client's allowance (an accepted tip)."""
    PublicSubmission.objects.create(client=client_digest(ip or "unknown"), kind=kind, at=_now())


# --- locating a tip -------------------------------------------------------------------------------


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def _region_division(code: str, field: str = "division_code") -> Division:
    """The division `code` names, if the deployment serves it and it is a district or deeper."""
    division = Division.objects.filter(code=code).first() if code else None
    if division is None or not in_region(code):
        raise ValidationError(
            {
                field: _("所在区域“{code}”无效：请从{area}的区县、街镇中选择").format(
                    code=code, area=region_name() or _("全国")
                )
            }
        )
    if division.level < Division.Level.DISTRICT:
        raise ValidationError({field: _("所在区域过大：请至少选择到区县")})
    return division


def bounding_box(latitude, longitude, radius_m: float) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(south, north, west, east) of a box holding every point within `radius_m` of the pin."""
    lat, lon = float(latitude), float(longitude)
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return tuple(Decimal(f"{v:.6f}") for v in (lat - dlat, lat + dlat, lon - dlon, lon + dlon))


def nearest_enterprise(latitude, longitude, radius_m: float) -> Enterprise | None:
    """The ledger site nearest the pin within `radius_m`, in the region. The database keeps the sites inside
    the pin's bounding box and orders them by a flat-earth distance (exact enough over a few kilometres);
    the great-circle distance is measured on the nearest few only."""
    south, north, west, east = bounding_box(latitude, longitude, radius_m)
    lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    squeeze = Decimal(f"{math.cos(math.radians(float(lat))) ** 2:.6f}")  # a degree of longitude is shorter
    dlat, dlon = F("latitude") - Value(lat), F("longitude") - Value(lon)
    candidates = (
        Enterprise.objects.filter(region_q(), latitude__range=(south, north), longitude__range=(west, east))
        .annotate(
            flat=ExpressionWrapper(dlat * dlat + dlon * dlon * Value(squeeze), output_field=FloatField())
        )
        .order_by("flat", "pk")
        .only("id", "latitude", "longitude", "division_id")[:NEAREST_CANDIDATES]
    )
    best, best_distance = None, radius_m
    for enterprise in candidates:
        d = distance_m(latitude, longitude, enterprise.latitude, enterprise.longitude)
        if d <= best_distance:
            best, best_distance = enterprise, d
    return best


def locate(*, division_code: str = "", latitude=None, longitude=None) -> tuple[Division, str]:
    """The division a tip belongs to: the reporter's choice, else the nearest ledger site to the pin."""
    if division_code:
        return _region_division(division_code), Tip.Located.CHOSEN
    if latitude is not None and longitude is not None:
        site = nearest_enterprise(latitude, longitude, MATCH_RADIUS_KM * 1000)
        if site is not None:
            return site.division, Tip.Located.COORDINATES
        raise ValidationError(
            {"division_code": _("无法根据定位确定所属区域（附近没有已登记的场所），请选择所在街镇")}
        )
    raise ValidationError({"division_code": _("请选择所在街镇，或提供位置坐标")})


def _coordinate(value, name: str, low: float, high: float):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise ValidationError(
            {name: _("{name} 应为数字，实际为“{value}”").format(name=name, value=value)}
        ) from None
    if not low <= number <= high:
        raise ValidationError(
            {
                name: _("{name} 应在 {low} 至 {high} 之间，实际为 {value}").format(
                    name=name, low=low, high=high, value=value
                )
            }
        )
    return number


# --- receiving ------------------------------------------------------------------------------------


@sensitive_variables("reporter", "identity")
def _check_reporter(reporter: dict | None) -> dict:
    reporter = {
        k: str(v or "").strip() for k, v in (reporter or {}).items() if k in ("name", "phone", "contact")
    }
    identity = {k: v for k, v in reporter.items() if v}
    if len(identity.get("name", "")) > 64:
        raise ValidationError({"reporter_name": _("姓名过长（最多 64 字）")})
    if identity.get("phone") and not PHONE.match(identity["phone"]):
        raise ValidationError(
            {"reporter_phone": _("联系电话格式不正确：只能包含数字、空格、+、-，5 至 20 位")}
        )
    if len(identity.get("contact", "")) > 200:
        raise ValidationError({"reporter_contact": _("其他联系方式过长（最多 200 字）")})
    return identity


def _check_content(content: str, address: str, occurred: str) -> None:
    errors = {}
    if len(content.strip()) < 5:
        errors["content"] = _("举报内容不能少于 5 个字：请说明看到了什么")
    elif len(content) > 5000:
        errors["content"] = _("举报内容过长（最多 5000 字）")
    if not address.strip():
        errors["address"] = _("请填写地点（地址或附近标志物）")
    elif len(address) > 256:
        errors["address"] = _("地点过长（最多 256 字）")
    if len(occurred) > 64:
        errors["occurred"] = _("发生时间过长（最多 64 字）")
    if errors:
        raise ValidationError(errors)


def _store_attachments(tip: Tip, prepared: list[media.Prepared], *, from_reporter: bool) -> None:
    """Write checked files; if anything fails, remove what was written (the transaction rolls back the rows)."""
    written = []
    try:
        for item in prepared:
            path = media.write_prepared(tip.pk, item)
            written.append(path)
            TipAttachment.objects.create(
                tip=tip,
                kind=item.kind,
                path=path,
                content_type=item.content_type,
                size=item.size,
                note=item.note,
                from_reporter=from_reporter,
            )
    except BaseException:
        for path in written:
            media.absolute(path).unlink(missing_ok=True)
        raise


def handlers_for(division_code: str) -> list:
    """Tip handlers of the district the tip was routed to (the city's only when the district has none)."""
    handlers = users_with("tips.handle", division_code)
    local = [u for u in handlers if u.division.level >= Division.Level.DISTRICT]
    return local or handlers


@sensitive_variables("reporter", "identity")
def tip_submit(
    *,
    channel: str,
    content: str,
    address: str,
    occurred: str = "",
    division_code: str = "",
    latitude=None,
    longitude=None,
    reporter: dict | None = None,
    files=(),
    actor=None,
    submission: str = "",
) -> tuple[Tip, str]:
    """Receive a tip from any channel; returns the tip and the reporter's secret key (shown once, never stored).

    `submission` is the form's one-time token: posting it again (a reload, a double click) creates nothing
    and returns the tip it made the first time with an empty key, since the key is shown only once.
    The transaction is opened inside (not as a decorator): a decorator's frame would hold the arguments,
    the reporter's identity among them, where error reports could show it.
    """
    submission_digest = key_digest("submission", submission) if submission else ""
    if submission_digest and (done := Tip.objects.filter(submission_digest=submission_digest).first()):
        return done, ""
    content, address, occurred = (content or "").strip(), (address or "").strip(), (occurred or "").strip()
    _check_content(content, address, occurred)
    latitude = _coordinate(latitude, "lat", -90, 90)
    longitude = _coordinate(longitude, "lon", -180, 180)
    identity = _check_reporter(reporter)
    prepared = media.prepare_uploads(files)
    division, located_by = locate(division_code=division_code, latitude=latitude, longitude=longitude)
    if actor is not None:
        require(actor, "tips.handle")
        if not user_covers_division(actor, division.code):
            raise ValidationError(
                {
                    "division_code": _("所在区域 {name} 不在您的管辖范围内").format(
                        name=division_label(division.code)
                    )
                }
            )
        located_by = Tip.Located.STAFF if located_by == Tip.Located.CHOSEN else located_by
    with transaction.atomic():
        now = _now()
        today = timezone.localdate(now)
        receipt, key = new_receipt(), new_key()
        tip = Tip(
            receipt=receipt,
            key_digest=key_digest(receipt, key),
            submission_digest=submission_digest,
            channel=channel,
            content=content,
            address=address,
            occurred=occurred,
            latitude=latitude,
            longitude=longitude,
            division=division,
            located_by=located_by,
            has_identity=bool(identity),
            reporter_ciphertext=encrypt_json(identity) if identity else "",
            received_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
            handoff_due=add_working_days(today, HANDOFF_DAYS),
            verify_due=add_working_days(today, VERIFY_DAYS),
        )
        audited_create(actor=actor, instance=tip, action="tip_receive")
        _store_attachments(tip, prepared, from_reporter=True)
        with stored_language():
            notify(
                handlers_for(division.code),
                f"新举报 {receipt}（{tip.get_channel_display()}，{division.name}）：请于 {tip.handoff_due:%m月%d日} 前交办",
                reverse("tips:tip_detail", args=[tip.pk]),
            )
        return tip, key


@sensitive_variables("fields")
def tip_record(*, actor, channel: str, **fields) -> tuple[Tip, str]:
    """Staff intake of a tip received by phone, e-mail, letter or WeChat."""
    if channel not in Tip.STAFF_CHANNELS:
        raise ValidationError({"channel": _("举报渠道应为电话、电子邮件、来信或微信之一")})
    require(actor, "tips.handle")
    return tip_submit(actor=actor, channel=channel, **fields)


# --- handling -------------------------------------------------------------------------------------


def _require_handler(actor, tip: Tip) -> None:
    require(actor, "tips.handle")
    if not user_covers_division(actor, tip.division_id):
        raise ValidationError(_("该举报不在您的管辖范围内"))


def _require_open(tip: Tip) -> None:
    if tip.merged_into_id:
        raise ValidationError(
            _("该举报已合并至 {receipt}，请在该举报中处理").format(receipt=tip.merged_into.receipt)
        )


def tip_accept(*, actor, tip: Tip) -> Tip:
    """Hand-off: a handler takes the tip on; verification starts."""
    _require_handler(actor, tip)
    _require_open(tip)
    if tip.status != Tip.Status.RECEIVED:
        raise ValidationError(_("该举报已交办"))
    return audited_update(
        actor=actor,
        instance=tip,
        action="tip_accept",
        changes={"status": Tip.Status.VERIFYING, "handed_off_at": _now(), "handler": actor},
    )


def tip_verify(*, actor, tip: Tip, result: str, note: str = "") -> Tip:
    """Record the outcome of the verification; `note` is what the reporter will read."""
    _require_handler(actor, tip)
    _require_open(tip)
    if result not in (Tip.Status.VERIFIED, Tip.Status.NOT_VERIFIED, Tip.Status.HANDLED):
        raise ValidationError({"result": _("核查结论应为属实、不属实或已处理")})
    if len(note) > 2000:
        raise ValidationError({"note": _("核查结论说明过长（最多 2000 字）")})
    now = _now()
    changes = {
        "status": result,
        "result_note": note.strip(),
        "verified_at": tip.verified_at or now,
        "handed_off_at": tip.handed_off_at or now,
        "handler": tip.handler or actor,
    }
    return audited_update(actor=actor, instance=tip, changes=changes, action="tip_verify")


def tip_update(
    *, actor, tip: Tip, enterprise_id: int | None = None, division_code: str = "", reason: str = ""
) -> Tip:
    """Link the tip to a ledger enterprise, or route it to another division (re-routing notifies again)."""
    _require_handler(actor, tip)
    changes = {}
    if enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
        if enterprise_id and (enterprise is None or not user_covers_division(actor, enterprise.division_id)):
            raise ValidationError(
                {
                    "enterprise": _("企业 {enterprise_id} 不存在或不在您的管辖范围内").format(
                        enterprise_id=enterprise_id
                    )
                }
            )
        changes["enterprise"] = enterprise
    if division_code and division_code != tip.division_id:
        changes["division"] = _region_division(division_code)
        changes["located_by"] = Tip.Located.STAFF
    tip = audited_update(actor=actor, instance=tip, changes=changes, action="tip_update", reason=reason)
    if "division" in changes:
        notify(
            handlers_for(tip.division_id),
            f"举报 {tip.receipt} 已转至{tip.division.name}，请及时交办核查",
            reverse("tips:tip_detail", args=[tip.pk]),
        )
    return tip


@transaction.atomic
def tip_note_add(*, actor, tip: Tip, text: str) -> TipNote:
    _require_handler(actor, tip)
    if not text.strip():
        raise ValidationError({"text": _("备注内容不能为空")})
    return audited_create(
        actor=actor,
        instance=TipNote(tip=tip, author=actor, text=text.strip()),
        action="tip_note",
        division_code=tip.division_id,
    )


@transaction.atomic
def tip_question_ask(*, actor, tip: Tip, question: str) -> TipQuestion:
    """A question the reporter sees when coming back (nothing is sent to the reporter)."""
    _require_handler(actor, tip)
    if not question.strip():
        raise ValidationError({"question": _("问题不能为空")})
    return audited_create(
        actor=actor,
        instance=TipQuestion(tip=tip, asked_by=actor, question=question.strip()),
        action="tip_question",
        division_code=tip.division_id,
    )


def _notify_handler(tip: Tip, text: str) -> None:
    users = [tip.handler] if tip.handler_id else handlers_for(tip.division_id)
    notify(users, text, reverse("tips:tip_detail", args=[tip.pk]))


@transaction.atomic
def tip_question_answer(*, tip: Tip, question_id: int, answer: str) -> TipQuestion:
    """The reporter answers a question (no actor: the reporter is anonymous to the system)."""
    question = TipQuestion.objects.filter(tip=tip, pk=question_id).first()
    if question is None:
        raise ValidationError({"answer": _("该问题不存在")})
    if not answer.strip() or len(answer) > 5000:
        raise ValidationError({"answer": _("回答不能为空，且不超过 5000 字")})
    before = snapshot(question)
    question.answer, question.answered_at = answer.strip(), _now()
    question.save()
    audit_record(
        actor=None,
        action="tip_answer",
        target=question,
        before=before,
        after=snapshot(question),
        division_code=tip.division_id,
    )
    _notify_handler(tip, f"举报 {tip.receipt} 的举报人回答了问题")
    return question


@transaction.atomic
def tip_supplement_add(*, tip: Tip, text: str = "", files=()) -> TipSupplement:
    """The reporter adds material (text and/or files) to the tip."""
    text = (text or "").strip()
    prepared = media.prepare_uploads(files)
    if not text and not prepared:
        raise ValidationError({"text": _("请填写补充内容或选择附件")})
    if len(text) > 5000:
        raise ValidationError({"text": _("补充内容过长（最多 5000 字）")})
    supplement = audited_create(
        actor=None,
        instance=TipSupplement(tip=tip, text=text),
        action="tip_supplement",
        division_code=tip.division_id,
    )
    _store_attachments(tip, prepared, from_reporter=True)
    _notify_handler(tip, f"举报 {tip.receipt} 的举报人补充了材料")
    return supplement


def tip_merge(*, actor, tip: Tip, into: Tip, reason: str = "") -> Tip:
    """Merge a duplicate into another tip: its reporter then follows that tip's status."""
    _require_handler(actor, tip)
    _require_handler(actor, into)
    if into.pk == tip.pk or into.merged_into_id or tip.merged_into_id:
        raise ValidationError({"into": _("不能合并到自身或已合并的举报")})
    if tip.duplicates.exists():
        raise ValidationError({"into": _("该举报已有其他举报并入，请把其他举报合并到它")})
    return audited_update(
        actor=actor, instance=tip, changes={"merged_into": into}, action="tip_merge", reason=reason
    )


@stored_language()
def case_description(tip: Tip) -> str:
    """What the case receives from the tip: the content, never who sent it."""
    parts = [
        f"来源：群众举报（回执 {tip.receipt}，{tip.get_channel_display()}，{timezone.localtime(tip.created_at):%Y-%m-%d %H:%M}）",
        f"举报内容：{tip.content}",
        f"地点：{tip.address}",
    ]
    if tip.occurred:
        parts.append(f"发生时间：{tip.occurred}")
    parts += [f"补充材料：{s.text}" for s in tip.supplements.all() if s.text]
    parts.append("（举报人身份依法保密，不随案件移送。）")
    return "\n".join(parts)


@transaction.atomic
def tip_escalate(*, actor, tip: Tip, title: str = "", note: str = ""):
    """Open a case from the tip (without the reporter's identity); the tip then follows the case.
    `title` replaces the generated title, `note` is added to the description."""
    _require_handler(actor, tip)
    _require_open(tip)
    if tip.case_id:
        raise ValidationError(_("该举报已立案"))
    case = case_open(
        actor=actor,
        title=(title.strip() or f"举报线索 {tip.receipt}：{tip.address}")[:200],
        source="tip",
        source_ref=f"tip:{tip.pk}",
        division_code=tip.division_id,
        enterprise=tip.enterprise,
        description="\n".join(filter(None, [case_description(tip), note.strip()])),
        address=tip.address,
        longitude=tip.longitude,
        latitude=tip.latitude,
    )
    now = _now()
    changes = {"case": case, "handed_off_at": tip.handed_off_at or now, "handler": tip.handler or actor}
    if tip.status == Tip.Status.RECEIVED:
        changes["status"] = Tip.Status.VERIFYING
    audited_update(actor=actor, instance=tip, changes=changes, action="tip_escalate")
    return case


@sensitive_variables("identity")
def tip_reveal_identity(*, actor, tip: Tip, reason: str) -> dict:
    """Decrypt who sent the tip, for its own office's tip handler, with a reason; every reveal is audited."""
    if not may_reveal(actor, tip):
        raise ValidationError(_("仅受理该举报的举报受理人员可以查看举报人信息"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("请填写查看举报人信息的理由（至少 4 个字）")})
    audit_record(actor=actor, action="tip_reveal_identity", target=tip, reason=reason)
    identity = decrypt_json(tip.reporter_ciphertext)
    return {k: identity.get(k, "") for k in ("name", "phone", "contact", "payment")}


def tip_keys_rotate() -> int:
    """Re-encrypt every reporter record with the newest key (run after prepending a new key)."""
    count = 0
    for tip in Tip.objects.exclude(reporter_ciphertext="").only("pk", "reporter_ciphertext").iterator():
        Tip.objects.filter(pk=tip.pk).update(reporter_ciphertext=rotate_token(tip.reporter_ciphertext))
        count += 1
    return count


# --- deadlines ------------------------------------------------------------------------------------


def tip_send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind handlers of hand-offs due and verifications due within 2 working days or overdue.

    At most one reminder per tip, deadline and day, however often it runs (a unique row per day).
    """
    today = today or timezone.localdate()
    soon = add_working_days(today, 2)
    sent = 0
    open_tips = Tip.objects.filter(
        status__in=[Tip.Status.RECEIVED, Tip.Status.VERIFYING], merged_into=None, case=None
    ).select_related("division", "handler")
    for tip in open_tips:
        due = []
        if tip.handed_off_at is None and tip.handoff_due <= today:
            due.append(("handoff", "交办", tip.handoff_due))
        if tip.verified_at is None and tip.verify_due <= soon:
            due.append(("verify", "核查", tip.verify_due))
        for kind, label, date in due:
            with transaction.atomic():
                _reminder, created = TipReminder.objects.get_or_create(tip=tip, kind=kind, day=today)
                if not created:
                    continue
                state = "已逾期" if date < today else "即将到期"
                _notify_handler(tip, f"举报 {tip.receipt} {label}{state}（期限 {date:%Y-%m-%d}）")
                sent += 1
    return sent


# --- rewards --------------------------------------------------------------------------------------


def _same_target(tip: Tip):
    """Tips about the same target: merged together, the same ledger enterprise, or the same case."""
    primary = tip.merged_into or tip
    q = Q(pk=primary.pk) | Q(merged_into=primary)
    if primary.enterprise_id:
        q |= Q(enterprise_id=primary.enterprise_id)
    if primary.case_id:
        q |= Q(case_id=primary.case_id)
    return Tip.objects.filter(q)


def reward_share(tip: Tip) -> int:
    """How many reporters share the reward: 0 if `tip` was not among the first (same-day reports share)."""
    days = {t.pk: timezone.localdate(t.created_at) for t in _same_target(tip)}
    days.setdefault(tip.pk, timezone.localdate(tip.created_at))
    first = min(days.values())
    if days[tip.pk] != first:
        return 0
    return sum(1 for day in days.values() if day == first)


@transaction.atomic
def reward_propose(*, actor, tip: Tip, rule: RewardRule) -> Reward:
    _require_handler(actor, tip)
    from .selectors import effective_status

    if effective_status(tip) not in (Tip.Status.VERIFIED, Tip.Status.HANDLED):
        raise ValidationError(_("举报经核查属实后才能申报奖励"))
    primary = tip.merged_into or tip
    if not (tip.case_id or tip.enterprise_id or primary.case_id or primary.enterprise_id):
        raise ValidationError(_("举报须关联案件或台账企业后才能申报奖励"))
    if Reward.objects.filter(tip=tip).exists():
        raise ValidationError(_("该举报已申报奖励"))
    if not rule.active:
        raise ValidationError({"rule": _("该奖励标准已停用")})
    share = reward_share(tip)
    if share == 0:
        raise ValidationError(_("该举报不是首位举报（同一对象已有更早的举报），不予奖励"))
    amount = _shared_amount(rule.amount, share)
    reward = Reward(tip=tip, rule=rule, share_count=share, amount=amount, proposed_by=actor)
    return audited_create(
        actor=actor, instance=reward, action="reward_propose", division_code=tip.division_id
    )


def _require_reward_office(actor, reward: Reward) -> None:
    require(actor, "tips.reward")
    if not user_covers_division(actor, reward.tip.division_id):
        raise ValidationError(_("该奖励不在您的管辖范围内"))


def _target_rewards(tip: Tip):
    """The rewards of every first reporter of the tip's target, not yet paid or rejected."""
    return Reward.objects.filter(
        tip__in=_same_target(tip), status__in=[Reward.Status.PROPOSED, Reward.Status.APPROVED]
    ).select_related("tip", "rule")


def _shared_amount(total: Decimal, share: int) -> Decimal:
    return (min(total, REWARD_CAP) / share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@transaction.atomic
def reward_decide(*, actor, reward: Reward, approve: bool, reason: str = "") -> Reward:
    """The district office approves or rejects a proposed reward (the city office above the configured
    amount). On approval the target's total follows the scale once and is shared among the first reporters
    known at that moment: every unpaid reward of the target gets the same share."""
    _require_reward_office(actor, reward)
    if reward.status != Reward.Status.PROPOSED:
        raise ValidationError(_("该奖励已审批"))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("不予批准时请说明理由")})
    limit = Decimal(settings.TIP_REWARD_CITY_APPROVAL_ABOVE)
    if approve and min(reward.rule.amount, REWARD_CAP) > limit and not is_region_office(actor):
        raise ValidationError(_("奖励总额超过 {limit} 元，须由市领导小组办公室审批").format(limit=limit))
    status = Reward.Status.APPROVED if approve else Reward.Status.REJECTED
    if approve:
        share = reward_share(reward.tip)
        if share == 0:
            raise ValidationError(_("该举报不是首位举报（同一对象已有更早的举报），不予奖励"))
        amount = _shared_amount(reward.rule.amount, share)
        for other in _target_rewards(reward.tip).exclude(pk=reward.pk):
            if reward_share(other.tip):
                audited_update(
                    actor=actor,
                    instance=other,
                    action="reward_share",
                    division_code=other.tip.division_id,
                    changes={"share_count": share, "amount": amount, "rule": reward.rule},
                    reason=_("同一对象首位举报人共 {n} 人，按批准时人数分享").format(n=share),
                )
    changes = {"status": status, "approved_by": actor, "approved_at": _now()}
    if approve:
        changes |= {"share_count": share, "amount": amount}
    return audited_update(
        actor=actor,
        instance=reward,
        reason=reason,
        action="reward_decide",
        division_code=reward.tip.division_id,
        changes=changes,
    )


@sensitive_variables("payment", "identity")
def reward_claim(*, tip: Tip, payment: str) -> Reward:
    """The reporter, with receipt and key, says how to be paid (stored encrypted with the identity)."""
    with transaction.atomic():
        return _reward_claim(tip, payment)


@sensitive_variables("payment", "identity")
def _reward_claim(tip: Tip, payment: str) -> Reward:
    reward = Reward.objects.select_for_update().filter(tip=tip).first()
    if reward is None or reward.status not in (Reward.Status.APPROVED,):
        raise ValidationError(_("该举报暂无可申领的奖励"))
    payment = (payment or "").strip()
    if not 4 <= len(payment) <= 300:
        raise ValidationError({"payment": _("请填写领取方式（如收款人姓名、开户行和账号），4 至 300 字")})
    identity = decrypt_json(tip.reporter_ciphertext)
    identity["payment"] = payment
    Tip.objects.filter(pk=tip.pk).update(reporter_ciphertext=encrypt_json(identity), has_identity=True)
    result = audited_update(
        actor=None,
        instance=reward,
        changes={"claimed_at": _now()},
        action="reward_claim",
        division_code=tip.division_id,
    )
    _notify_handler(tip, f"举报 {tip.receipt} 的举报人已申领奖励")
    return result


# Apps above tips that book a payout elsewhere (field's funds: the rewards budget line) register here; each
# is called inside reward_pay's transaction with the paid reward, so a booking that fails undoes the payout.
_REWARD_PAID_HOOKS: list = []


def on_reward_paid(hook) -> None:
    if hook not in _REWARD_PAID_HOOKS:
        _REWARD_PAID_HOOKS.append(hook)


@transaction.atomic
def reward_pay(
    *, actor, reward: Reward, paid_on: datetime.date, amount: Decimal, reference: str = ""
) -> Reward:
    """Record the payout (date and amount); the reporter sees it on the status page."""
    _require_reward_office(actor, reward)
    if reward.status != Reward.Status.APPROVED:
        raise ValidationError(_("奖励批准后才能登记发放"))
    if reward.claimed_at is None:
        raise ValidationError(_("举报人尚未凭回执申领，暂不能登记发放"))
    amount = Decimal(str(amount))
    if amount <= 0 or amount > reward.amount:
        raise ValidationError(
            {"amount": _("发放金额应大于 0 且不超过核定金额 {amount} 元").format(amount=reward.amount)}
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("发放日期不能晚于今天")})
    reward = audited_update(
        actor=actor,
        instance=reward,
        action="reward_pay",
        division_code=reward.tip.division_id,
        changes={
            "status": Reward.Status.PAID,
            "paid_on": paid_on,
            "paid_amount": amount,
            "payment_reference": reference.strip()[:64],
        },
    )
    for hook in _REWARD_PAID_HOOKS:
        hook(actor=actor, reward=reward)
    return reward


def reward_rule_save(*, actor, code: str, name: str, amount: Decimal, active: bool = True) -> RewardRule:
    """Create or change one step of the reward scale (city office)."""
    require(actor, "tips.reward")
    if not is_region_office(actor):
        raise ValidationError(_("奖励标准由管辖全部服务范围的领导小组办公室设定"))
    rule = RewardRule.objects.filter(code=code).first()
    if rule is None:
        return audited_create(
            actor=actor,
            instance=RewardRule(code=code, name=name, amount=amount, active=active),
            action="reward_rule_create",
        )
    return audited_update(
        actor=actor,
        instance=rule,
        changes={"name": name, "amount": amount, "active": active},
        action="reward_rule_update",
    )
