"""The audit trail: every service that changes regulated data records it here."""

import datetime
import decimal
import uuid

from django.db import models

from .models import AuditLog

# Fields never copied into the audit trail (secrets, derived or bulky values).
_SKIPPED_FIELDS = {
    "password",
    "reporter_ciphertext",
    "id_ciphertext",
    "id_digest",
    "updated_at",
    "created_at",
    "secret",
}


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bytes | memoryview):
        return None
    return value


def snapshot(instance: models.Model | None) -> dict | None:
    """A JSON-ready dict of the instance's concrete field values (foreign keys by id)."""
    if instance is None:
        return None
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    division_code: str = "",
) -> AuditLog:
    """Record one change. `before`/`after` are snapshots; pass `after=snapshot(obj)` after saving."""
    if not division_code:
        division_code = getattr(target, "division_id", None) or ""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        division_code=division_code,
        before=before,
        after=after,
        reason=reason,
    )


def history_for(target: models.Model):
    """The audit records of one object, newest first."""
    return AuditLog.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
