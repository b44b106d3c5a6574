"""Evidence files: size and type checked by content (never by name), images re-encoded with Pillow.

Officials' photos are evidence, so their shooting time and GPS position are read from the EXIF data
first and kept in the database; the stored image itself is re-encoded without any metadata. PDF
documents are stored as sent. Files live under settings.UPLOAD_DIR and are served only through
`cases.views.attachment_file`, which goes through the access layer.
"""

import datetime
import io
import uuid
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # larger images are refused (decompression bombs)
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
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError({"file": _("图片“{name}”像素过大").format(name=name)})
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError({"file": _("图片“{name}”已损坏或无法识别").format(name=name)}) from exc
    exif = image.getexif()
    latitude, longitude = _gps(exif)
    taken_at = _taken_at(exif)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    image.info = {}  # no EXIF, ICC profile or comment survives
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return Prepared("photo", out.getvalue(), "jpg", "image/jpeg", name, taken_at, latitude, longitude)


def prepare(upload) -> Prepared:
    """Check one uploaded file and return what will be stored; raises ValidationError naming the file."""
    if upload is None:
        raise ValidationError({"file": _("请选择要上传的照片或文件")})
    name = Path(upload.name or "file").name[:200]
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("文件“{name}”过大（{value:.1f} MB），上限 {value2:.0f} MB").format(
                    name=name, value=upload.size / 2**20, value2=limit / 2**20
                )
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("文件“{name}”为空").format(name=name)})
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
    relative = Path(folder) / f"{uuid.uuid4().hex}.{prepared.ext}"
    target = Path(settings.UPLOAD_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(prepared.data)
    return relative.as_posix()


def absolute(relative: str) -> Path:
    root = Path(settings.UPLOAD_DIR).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("path outside UPLOAD_DIR")
    return path


def discard(relative_paths: list[str]) -> None:
    for relative in relative_paths:
        absolute(relative).unlink(missing_ok=True)
