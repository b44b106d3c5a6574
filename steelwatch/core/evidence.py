"""Evidence files: size and type checked by content (never by name), images re-encoded with Pillow.

Officials' photos are evidence, so their shooting time and GPS position are read from the EXIF data
first and kept in the database; the stored image itself is re-encoded without any metadata (core/files.py). PDF
documents are stored as sent. Files live under settings.UPLOAD_DIR (stored through core/files.py) and are served
only through `cases.views.attachment_file`, which goes through the access layer.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core import files

MAX_PIXELS = files.MAX_PIXELS  # larger images are refused (decompression bombs)
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_GPS_IFD, _EXIF_IFD, _DATETIME_ORIGINAL, _DATETIME = 0x8825, 0x8769, 36867, 306


@dataclass
class Prepared:
    kind: str  # photo | document
    data: bytes
    ext: str
    content_type: str
    original_name: str
    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @cached_property
    def sha256(self) -> str:
        """The stored copy's digest (two uploads of one picture give the same)."""
        return hashlib.sha256(self.data).hexdigest()


def _sniff(head: bytes) -> str | None:
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "photo"
    if head.startswith(b"%PDF-"):
        return "document"
    return None


def _degrees(value) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def _gps(exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(_GPS_IFD)
    try:
        lat, lon = _degrees(gps[2]), _degrees(gps[4])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if str(gps.get(1, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(3, "E")).upper().startswith("W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _taken_at(exif) -> datetime.datetime | None:
    raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    try:
        naive = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(naive)


def _reencode(upload, name: str) -> Prepared:
    try:
        image = files.reencode_image(upload, max_pixels=MAX_PIXELS)
    except files.ImageRefused as exc:
        raise ValidationError({"file": _("图片“{name}”已损坏或无法识别").format(name=name)}) from exc
    latitude, longitude = _gps(image.exif)
    taken_at = _taken_at(image.exif)
    return Prepared("photo", image.data, "jpg", "image/jpeg", name, taken_at, latitude, longitude)


def prepare(upload) -> Prepared:
    """Check one uploaded file and return what will be stored; raises ValidationError naming the file."""
    if upload is None:
        raise ValidationError({"file": _("请选择要上传的照片或文件")})
    name = files.display_name(upload.name)
    files.check_size(upload, name=name)
    upload.seek(0)
    kind = _sniff(upload.read(16))
    if kind is None:
        raise ValidationError(
            {"file": _("文件“{name}”类型不支持：仅接受 JPEG/PNG/GIF/WebP 照片或 PDF 文件").format(name=name)}
        )
    if kind == "photo":
        return _reencode(upload, name)
    upload.seek(0)
    return Prepared("document", upload.read(), "pdf", "application/pdf", name)


def store(prepared: Prepared, folder: str) -> str:
    """Write the file under UPLOAD_DIR/<folder>/ and return its path relative to UPLOAD_DIR."""
    return files.save_bytes(folder, prepared.data, prepared.ext)


absolute = files.absolute
discard = files.delete
