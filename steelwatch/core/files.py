"""One module for uploaded files and downloads: storing, opening, deleting and serving.

- Files live under settings.UPLOAD_DIR (outside the web root), in folders created owner-only (0700), each file
  written owner-only (0600) under a generated name (`<uuid hex>.<ext>`), never the name the sender chose.
- Sizes are checked before anything is written (settings.UPLOAD_MAX_BYTES unless a caller gives its own limit).
- Images are decoded and re-encoded with Pillow (`reencode_image`): the copy that is stored and served carries
  no EXIF (GPS position, camera, time), ICC profile or comment, orientation applied first; decompression bombs
  are refused. With `keep_exif=True` the original's EXIF block is returned too, for callers that must keep it
  as evidence (stored apart from the served copy, see `save_bytes`).
- Every path handed back in is resolved inside UPLOAD_DIR (`absolute`), so a stored path cannot reach elsewhere.
- Downloads (`serve`, `bytes_response`) set Content-Disposition through Django's helper, so Chinese file
  names survive (RFC 6266 `filename*=utf-8''…`), with nosniff and no caching.
"""

import io
import os
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
MAX_PIXELS = 40_000_000  # larger images are refused (decompression bombs)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def root() -> Path:
    return Path(settings.UPLOAD_DIR).resolve()


def display_name(name: str | None, default: str = "file") -> str:
    """The sender's file name as shown and offered for download: its last part only, at most 200 characters."""
    return (Path(str(name or "")).name or default)[:200]


def check_size(upload, *, limit: int | None = None, field: str = "file", name: str = "") -> None:
    """Refuse an empty upload or one over `limit` bytes (settings.UPLOAD_MAX_BYTES), naming the file."""
    limit = limit or settings.UPLOAD_MAX_BYTES
    name = name or display_name(getattr(upload, "name", ""))
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("文件“{name}”过大（{value:.1f} MB），上限 {value2:.0f} MB").format(
                    name=name, value=upload.size / MB, value2=limit / MB
                )
            }
        )
    if upload.size == 0:
        raise ValidationError({field: _("文件“{name}”为空").format(name=name)})


# --- storing -----------------------------------------------------------------------------------------------


def _target(folder: str, ext: str, name: str | None) -> tuple[Path, str]:
    stem = name or uuid.uuid4().hex
    if not stem.isalnum():
        raise ValueError("generated names only")
    relative = (Path(folder) / f"{stem}.{ext.lstrip('.').lower()}").as_posix()
    path = absolute(relative)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path, relative


def _write(path: Path, chunks: Iterable[bytes]) -> None:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        partial.replace(path)  # the file appears whole or not at all
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def save_bytes(folder: str, data: bytes, ext: str, *, name: str | None = None) -> str:
    """Store `data` as UPLOAD_DIR/<folder>/<generated name>.<ext>; returns the path relative to UPLOAD_DIR."""
    path, relative = _target(folder, ext, name)
    _write(path, [data])
    return relative


def save_upload(
    folder: str, upload, ext: str, *, name: str | None = None, limit: int | None = None, field: str = "file"
) -> str:
    """Store a Django UploadedFile chunk by chunk (size checked first); returns the path relative to UPLOAD_DIR.
    `name` (letters and digits only) replaces the generated name, e.g. an upload's token."""
    check_size(upload, limit=limit, field=field)
    path, relative = _target(folder, ext, name)
    if hasattr(upload, "seek"):
        upload.seek(0)
    _write(path, upload.chunks())
    return relative


def save_file(folder: str, source: Path, ext: str) -> str:
    """Store a copy of a local file (the command-line imports); returns the path relative to UPLOAD_DIR."""
    path, relative = _target(folder, ext, None)
    with source.open("rb") as stream:
        _write(path, iter(lambda: stream.read(MB), b""))
    return relative


# --- reading and removing ------------------------------------------------------------------------------------


def absolute(relative: str | Path) -> Path:
    """The file's absolute path; ValueError when `relative` points outside UPLOAD_DIR."""
    base = root()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or path == base:
        raise ValueError(_("文件路径无效"))
    return path


def open_file(relative: str):
    return absolute(relative).open("rb")


def delete(relatives: Iterable[str]) -> int:
    """Remove stored files (missing ones are skipped); returns how many were removed."""
    removed = 0
    for relative in relatives:
        try:
            path = absolute(relative)
        except ValueError:
            continue
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- images --------------------------------------------------------------------------------------------------


class ImageRefused(ValueError):
    """Not a readable image, or one too large to decode safely."""


@dataclass
class Reencoded:
    data: bytes  # JPEG, no metadata: the copy that is stored and served
    exif: Image.Exif  # the original's EXIF as read (to take the shooting time or position from)
    original_exif: bytes | None = None  # the original EXIF block, when asked for (kept apart, as evidence)


def reencode_image(stream, *, keep_exif: bool = False, max_pixels: int = MAX_PIXELS) -> Reencoded:
    """Decode and re-encode an image as JPEG without EXIF, ICC profile or comments (orientation applied)."""
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            if image.width * image.height > max_pixels:
                raise ImageRefused(_("图片像素过大"))
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise ImageRefused(_("图片已损坏或无法识别")) from exc
    exif = image.getexif()
    original = image.info.get("exif") if keep_exif else None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    image.info = {}  # no EXIF, ICC profile or comment survives
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return Reencoded(out.getvalue(), exif, original)


# --- serving -------------------------------------------------------------------------------------------------


def _private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def serve(
    relative: str | Path, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """A stored file as a response (Http404 when it is missing); `relative` is within UPLOAD_DIR unless it is
    an absolute path the caller built (e.g. a consolidation workbook under DATA_DIR)."""
    from django.http import Http404

    try:
        path = Path(relative) if Path(relative).is_absolute() else absolute(relative)
        handle = path.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404(_("文件不存在")) from exc
    # FileResponse writes Content-Disposition through django.utils.http.content_disposition_header
    return _private(
        FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    )


def bytes_response(data: bytes, *, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A generated download (an Excel export, a template) under its Chinese file name."""
    response = HttpResponse(data, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    return _private(response)
