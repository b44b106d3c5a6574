"""Shared by the case services: settings, small helpers, events, attachments, the context of a move."""

import datetime
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.models import User
from steelwatch.core import evidence
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import users_with
from steelwatch.geo.models import Division
from steelwatch.registry.models import Enterprise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from ..models import (
    Attachment,
    Case,
    CaseEvent,
)

S = Case.State
OPEN = tuple(Case.OPEN_STATES)
VERIFY_WORKING_DAYS = getattr(settings, "CASE_VERIFY_WORKING_DAYS", 10)
REVISIT_MONTHS = getattr(settings, "CASE_REVISIT_MONTHS", (1, 3, 6, 12))
REMIND_WORKING_DAYS = 2  # remind this many working days before a verification deadline


class TransitionRefused(Exception):
    """A workflow step the case may not take now; the message (Chinese) names what is missing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def zombie_url(enterprise: Enterprise) -> str:
    return reverse("cases:zombie_detail", args=[enterprise.pk])


def _event(
    case: Case, actor, kind: str, text: str, *, reason: str = "", from_state: str = "", to_state: str = ""
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=_user(actor),
        kind=kind,
        text=text[:300],
        reason=reason,
        from_state=from_state,
        to_state=to_state,
    )


def _managers(case: Case) -> list[User]:
    return users_with("cases.manage", case.division_id)


def _require_manager(actor, case: Case) -> None:
    require(actor, "cases.manage")
    if not user_covers_division(actor, case.division_id):
        raise ValidationError(_("案件 #{pk} 不在您的管辖范围内").format(pk=case.pk))


def _require_state(case: Case, *states: str, doing: "StrOrPromise") -> None:
    if case.state not in states:
        allowed = "、".join(str(S(s).label) for s in states)
        raise ValidationError(
            _("案件当前状态为“{state}”，{doing}仅限“{allowed}”阶段").format(
                state=case.get_state_display(), doing=doing, allowed=allowed
            )
        )


@contextmanager
def _files_atomic():
    """A transaction that also removes the files written inside it when it fails."""
    written: list[str] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        evidence.discard(written)
        raise


def _attach(
    written: list[str],
    actor,
    prepared: evidence.Prepared,
    *,
    case: Case | None,
    note: str = "",
    purpose: str = "",
    exception_reason: str = "",
    **owner,
) -> Attachment:
    folder = f"cases/{case.pk}" if case else "sites"
    path = evidence.store(prepared, folder)
    written.append(path)
    attachment = Attachment.objects.create(
        case=case,
        purpose=purpose,
        kind=prepared.kind,
        path=path,
        original_name=prepared.original_name,
        content_type=prepared.content_type,
        size=len(prepared.data),
        note=note[:300],
        taken_at=prepared.taken_at or (timezone.now() if prepared.kind == "photo" else None),
        gps_latitude=prepared.latitude,
        gps_longitude=prepared.longitude,
        sha256=prepared.sha256,
        exception_reason=exception_reason[:300],
        uploaded_by=_user(actor),
        **owner,
    )
    audit_record(
        actor=actor,
        action="attachment_add",
        target=attachment,
        after=snapshot(attachment),
        division_code=case.division_id if case else "",
    )
    return attachment


@dataclass
class Context:
    actor: object
    reason: str
    today: datetime.date
    transfer_to: Division | None = None
    closure_kind: str = Enterprise.Status.BANNED
    extra: dict = field(default_factory=dict)


Check = Callable[[Case, Context], str | None]
