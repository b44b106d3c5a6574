"""Patrols: plans per grid, and the check-in — position (WGS-84, GCJ-02 converted and recorded), checklist,
finding and photos (EXIF kept apart as evidence, stripped from the copy served). A finding of production
signs at a site that should be dead raises a power alert for the district inside the same transaction."""

import datetime
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags

from steelwatch.core import files
from steelwatch.core.access import require
from steelwatch.core.services import audited_create, audited_update
from steelwatch.geo.models import Grid
from steelwatch.power.sightings import alert_raise_sighting
from steelwatch.registry.models import Enterprise

from .. import checklists, geometry
from ..models import CheckIn, CheckInPhoto, DrawInspection, PatrolPlan

PHOTO_FOLDER = "field/photos"
MAX_PHOTOS = 6
LOW_ACCURACY_M = 100.0
PHOTO_TIME_TOLERANCE = datetime.timedelta(hours=2)


def patrol_plan_save(*, actor, grid: Grid, sites: str, every_days: int, active: bool = True) -> PatrolPlan:
    require(actor, "field.manage")
    if not 1 <= int(every_days) <= 366:
        raise ValidationError({"every_days": _("巡查周期应为 1–366 天")})
    plan = PatrolPlan.objects.filter(grid=grid, sites=sites).first()
    if plan is None:
        return audited_create(
            actor=actor,
            instance=PatrolPlan(grid=grid, sites=sites, every_days=every_days, active=active),
            action="patrol_plan_create",
            division_code=grid.division_id,
        )
    return audited_update(
        actor=actor,
        instance=plan,
        changes={"every_days": every_days, "active": active},
        action="patrol_plan_update",
        division_code=grid.division_id,
    )


def parse_checklist(raw, enterprise: Enterprise) -> dict:
    """The checklist as JSON text or a dict: keys of the site's list, values true/false."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise ValidationError({"checklist": _("检查项目应为 JSON 对象")}) from None
    if not isinstance(raw, dict):
        raise ValidationError({"checklist": _("检查项目应为 JSON 对象")})
    allowed = dict(checklists.checklist_for(enterprise))
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise ValidationError(
            {"checklist": _("该类场所没有这些检查项目：{keys}").format(keys="、".join(unknown)[:200])}
        )
    if any(not isinstance(v, bool) for v in raw.values()):
        raise ValidationError({"checklist": _("检查项目的取值应为 true 或 false")})
    return raw


def _gps_degrees(value, ref) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    return -degrees if ref in ("S", "W") else degrees


def _exif_facts(exif) -> dict:
    """Shooting time and GPS position from a photo's EXIF (as evidence; never served)."""
    facts: dict = {"taken_at": "", "exif_latitude": None, "exif_longitude": None}
    sub = exif.get_ifd(ExifTags.IFD.Exif) if exif else {}
    taken = sub.get(ExifTags.Base.DateTimeOriginal) or (exif.get(ExifTags.Base.DateTime) if exif else None)
    if isinstance(taken, str):
        facts["taken_at"] = taken.strip()[:32]
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo) if exif else {}
    if gps:
        facts["exif_latitude"] = _gps_degrees(gps.get(2), gps.get(1))
        facts["exif_longitude"] = _gps_degrees(gps.get(4), gps.get(3))
    return facts


def _store_photo(check_in: CheckIn, upload) -> CheckInPhoto:
    files.check_size(upload, field="photos", name=getattr(upload, "name", ""))
    upload.seek(0)
    original = upload.read()
    try:
        image = files.reencode_image(upload, keep_exif=True)
    except files.ImageRefused as exc:
        raise ValidationError({"photos": str(exc)}) from None
    path = files.save_bytes(PHOTO_FOLDER, image.data, ".jpg")
    exif_path = files.save_bytes(PHOTO_FOLDER, image.original_exif, ".exif") if image.original_exif else ""
    return CheckInPhoto.objects.create(
        check_in=check_in,
        path=path,
        exif_path=exif_path,
        sha256=hashlib.sha256(original).hexdigest(),
        **_exif_facts(image.exif),
    )


def _position_flags(
    enterprise: Enterprise, lat: float, lon: float, accuracy: float
) -> tuple[list, float | None]:
    flags, distance = [], None
    if enterprise.latitude is not None and enterprise.longitude is not None:
        distance = geometry.distance_m(lat, lon, float(enterprise.latitude), float(enterprise.longitude))
        if distance > settings.FIELD_CHECKIN_MAX_DISTANCE_M:
            flags.append("far_from_site")
    else:
        flags.append("site_position_unknown")
    grid = enterprise.grid
    inside = geometry.polygon_contains(getattr(grid, "boundary", None), lat, lon) if grid else None
    if inside is False:
        flags.append("outside_grid")
    if accuracy > LOW_ACCURACY_M:
        flags.append("low_accuracy")
    return flags, distance


def _photo_flags(photos: list[CheckInPhoto], checked_at: datetime.datetime) -> list[str]:
    if not photos:
        return ["no_photo"]
    flags = []
    for photo in photos:
        try:
            taken = datetime.datetime.strptime(photo.taken_at, "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        local = timezone.localtime(checked_at).replace(tzinfo=None)
        if abs(taken - local) > PHOTO_TIME_TOLERANCE:
            flags.append("photo_time_mismatch")
            break
    return flags


@transaction.atomic
def check_in_record(
    *, actor, enterprise: Enterprise, latitude: float, longitude: float, accuracy_m: float,
    checked_at: datetime.datetime, checklist, finding: str, note: str = "", photos=(),
    coord_system: str = CheckIn.CoordSystem.WGS84, inspection: DrawInspection | None = None,
    client_ref: str = "",
) -> CheckIn:  # fmt: skip
    """Record one visit (the enterprise is already in the actor's reach via registry.access). A check-in the
    phone sends again under the same `client_ref` (its answer was lost) is returned as first recorded."""
    require(actor, "field.patrol")
    client_ref = (client_ref or "").strip()[:64]
    if client_ref:
        earlier = CheckIn.objects.filter(officer=actor, client_ref=client_ref).first()
        if earlier is not None:
            return earlier
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"latitude": _("经纬度超出范围")})
    if accuracy_m < 0 or accuracy_m > 100_000:
        raise ValidationError({"accuracy_m": _("定位精度应为 0–100000 米")})
    if coord_system not in CheckIn.CoordSystem.values:
        raise ValidationError({"coord_system": _("坐标系应为 wgs84 或 gcj02")})
    if finding not in CheckIn.Finding.values:
        raise ValidationError({"finding": _("检查结论应为 normal、production_signs 或 other_issue")})
    if timezone.is_naive(checked_at):
        checked_at = timezone.make_aware(checked_at)
    if checked_at > timezone.now() + datetime.timedelta(minutes=10):
        raise ValidationError({"checked_at": _("现场时间不能晚于当前时间")})
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("每次签到最多 {n} 张照片").format(n=MAX_PHOTOS)})
    items = parse_checklist(checklist, enterprise)
    flags = []
    if coord_system == CheckIn.CoordSystem.GCJ02:
        latitude, longitude = geometry.gcj02_to_wgs84(latitude, longitude)
        flags.append("gcj02_converted")
    position_flags, distance = _position_flags(enterprise, latitude, longitude, accuracy_m)
    flags += position_flags
    officer_grid = getattr(actor, "grid_id", None)
    if officer_grid and enterprise.grid_id != officer_grid:
        flags.append("not_own_grid")
    check_in = CheckIn(
        enterprise=enterprise,
        grid_id=enterprise.grid_id,
        division_id=enterprise.division_id,
        officer=actor,
        latitude=Decimal(f"{latitude:.6f}"),
        longitude=Decimal(f"{longitude:.6f}"),
        accuracy_m=accuracy_m,
        coord_system=coord_system,
        checked_at=checked_at,
        checklist=items,
        finding=finding,
        note=(note or "").strip(),
        distance_m=None if distance is None else round(distance, 1),
        inspection=inspection,
        client_ref=client_ref,
    )
    check_in.save()
    stored = [_store_photo(check_in, photo) for photo in photos]
    flags += _photo_flags(stored, checked_at)
    if checklists.shows_production(enterprise, items, finding):
        flags.append("production_signs_at_dead_site")
        reasons = _("网格巡查发现生产迹象：{name}（{status}），巡查人 {officer}，{when}。{note}").format(
            name=enterprise.name,
            status=enterprise.get_status_display(),
            officer=actor,
            when=timezone.localtime(checked_at).strftime("%Y-%m-%d %H:%M"),
            note=check_in.note,
        )
        check_in.alert = alert_raise_sighting(
            actor=actor, enterprise=enterprise, reasons=reasons.strip(), source_ref=f"check_in:{check_in.pk}"
        )
        if check_in.alert is None:
            flags.append("no_power_account")
    check_in.flags = flags
    check_in.save(update_fields=["flags", "alert"])
    if inspection is not None and inspection.result == DrawInspection.Result.PENDING:
        from .draws import inspection_record_result

        passed = finding == CheckIn.Finding.NORMAL
        inspection_record_result(
            actor=actor,
            inspection=inspection,
            result=DrawInspection.Result.PASSED if passed else DrawInspection.Result.FAILED,
            summary=check_in.note,
        )
    from steelwatch.core.audit import audit_record, snapshot

    audit_record(
        actor=actor,
        action="check_in_record",
        target=check_in,
        after=snapshot(check_in),
        division_code=enterprise.division_id,
    )
    return check_in
