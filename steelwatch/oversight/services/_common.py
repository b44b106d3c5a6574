"""What the oversight services share: the acting user, stored files, and unit lookups."""

import datetime
import hashlib
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core import evidence
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_label


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def today() -> datetime.date:
    return timezone.localdate()


@contextmanager
def files_atomic():
    """A transaction that also removes the files written inside it when it fails."""
    written: list[str] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        evidence.discard(written)
        raise


def store_upload(written: list[str], upload, folder: str) -> tuple[str, str]:
    """Store an uploaded photo or PDF (checked by content) → (relative path, SHA-256 of what was sent)."""
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    path = evidence.store(evidence.prepare(upload), folder)
    written.append(path)
    return path, digest


def store_bytes(written: list[str], data: bytes, folder: str, ext: str) -> tuple[str, str]:
    prepared = evidence.Prepared(
        kind="document", data=data, ext=ext, content_type="application/pdf", original_name=f"document.{ext}"
    )
    path = evidence.store(prepared, folder)
    written.append(path)
    return path, hashlib.sha256(data).hexdigest()


def units_below(office: Division, codes: list[str], *, field: str = "division_codes") -> list[Division]:
    """The named divisions, each strictly inside the office's area; an empty list means every child unit."""
    if not codes:
        return list(Division.objects.filter(parent=office).order_by("code"))
    found = {d.code: d for d in Division.objects.filter(code__in=codes)}
    bad = [c for c in codes if c not in found or not office.contains(c) or c == office.code]
    if bad:
        raise ValidationError(
            {
                field: _("区划代码不在发文单位的辖区内：%(codes)s")
                % {"codes": "、".join(map(division_label, bad))}
            }
        )
    return [found[c] for c in codes]


def is_unit_member(actor, division_code: str, department: str = "") -> bool:
    """The actor belongs to the unit itself: its own division (and, for a department unit, that department)."""
    if getattr(actor, "division_id", None) != division_code:
        return False
    return not department or getattr(actor, "department", "") == department


def check_dates(start: datetime.date, end: datetime.date, *, field: str) -> None:
    if end < start:
        raise ValidationError({field: _("结束日期不能早于开始日期")})
