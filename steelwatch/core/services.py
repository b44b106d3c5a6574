"""Audited writes shared by every app's services: validate, save, record before/after."""

from django.db import models, transaction

from .audit import audit_record, snapshot


@transaction.atomic
def audited_create(
    *, actor, instance: models.Model, action: str = "create", reason: str = "", division_code: str = ""
) -> models.Model:
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        target=instance,
        after=snapshot(instance),
        reason=reason,
        division_code=division_code,
    )
    return instance


@transaction.atomic
def audited_update(
    *,
    actor,
    instance: models.Model,
    changes: dict,
    action: str = "update",
    reason: str = "",
    division_code: str = "",
) -> models.Model:
    """Apply `changes` (field → value); records nothing when nothing actually changed."""
    before = snapshot(instance)
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.full_clean()
    after = snapshot(instance)
    if after != before:
        instance.save()
        audit_record(
            actor=actor,
            action=action,
            target=instance,
            before=before,
            after=snapshot(instance),
            reason=reason,
            division_code=division_code,
        )
    return instance
