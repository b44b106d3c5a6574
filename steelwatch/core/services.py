"""Audited writes shared by every app's services: validate, save, record before/after.

Both are generic in the model: `audited_create(instance=Case(...))` is typed as a Case, so the services that
return what they wrote keep their types."""

from typing import Any

from django.db import models, transaction

from .audit import audit_record, snapshot


@transaction.atomic
def audited_create[M: models.Model](
    *, actor: Any, instance: M, action: str = "create", reason: str = "", division_code: str = ""
) -> M:
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
def audited_update[M: models.Model](
    *,
    actor: Any,
    instance: M,
    changes: dict[str, Any],
    action: str = "update",
    reason: str = "",
    division_code: str = "",
) -> M:
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
