"""Photos and videos sent with a tip: checked before anything is written, images stripped of metadata.

Files are stored and served through core/files.py. Images are decoded and re-encoded with Pillow (EXIF — GPS position, camera, time — ICC and comments
dropped, orientation applied first), so the original bytes of an image are never stored. Videos cannot
be cleaned without a transcoder: their size and container type are checked and they are stored as is,
with a note telling staff they may still carry metadata.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steelwatch.core import files

MB = 1024 * 1024
MAX_FILES = getattr(settings, "TIP_MAX_FILES", 6)
MAX_IMAGE_BYTES = getattr(settings, "TIP_MAX_IMAGE_BYTES", 10 * MB)
MAX_VIDEO_BYTES = getattr(settings, "TIP_MAX_VIDEO_BYTES", 50 * MB)
MAX_PIXELS = files.MAX_PIXELS  # larger images are refused (decompression bombs)
VIDEO_NOTE = "视频按原样保存，未清除元数据（可能含拍摄位置、设备信息），查看和转交时注意保护举报人"

# Container signatures: (offset, magic) → (extension, content type)
_VIDEO_MAGIC = [
    (4, b"ftypqt", ("mov", "video/quicktime")),
    (4, b"ftyp3g", ("3gp", "video/3gpp")),
    (4, b"ftyp", ("mp4", "video/mp4")),
    (0, b"\x1a\x45\xdf\xa3", ("webm", "video/webm")),
]


@dataclass
class Prepared:
    kind: str  # image | video
    ext: str
    content_type: str
    data: bytes | None = None  # re-encoded image
    upload: object = None  # a video upload, copied as is
    size: int = 0
    note: str = ""


def _video_type(head: bytes) -> tuple[str, str] | None:
    for offset, magic, found in _VIDEO_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return found
    return None


def _clean_image(upload) -> bytes:
    return files.reencode_image(upload, max_pixels=MAX_PIXELS).data


def prepare_uploads(uploads) -> list[Prepared]:
    """Check every file (count, size, type) and clean the images; nothing is written yet."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            {
                "files": _("附件最多 {MAX_FILES} 个，本次提交了 {count} 个").format(
                    MAX_FILES=MAX_FILES, count=len(uploads)
                )
            }
        )
    prepared = []
    for number, upload in enumerate(uploads, start=1):
        where = _("第{number}个附件").format(number=number)
        head = upload.read(16)
        upload.seek(0)
        video = _video_type(head)
        if video:
            if upload.size > MAX_VIDEO_BYTES:
                raise ValidationError(
                    {
                        "files": _("{where}：视频过大，最大 {value} MB").format(
                            where=where, value=MAX_VIDEO_BYTES // MB
                        )
                    }
                )
            prepared.append(
                Prepared("video", video[0], video[1], upload=upload, size=upload.size, note=VIDEO_NOTE)
            )
            continue
        if upload.size > MAX_IMAGE_BYTES:
            raise ValidationError(
                {
                    "files": _("{where}：图片过大，最大 {value} MB").format(
                        where=where, value=MAX_IMAGE_BYTES // MB
                    )
                }
            )
        try:
            data = _clean_image(upload)
        except files.ImageRefused:
            raise ValidationError(
                {
                    "files": _(
                        "{where}：无法识别的文件，仅支持 JPEG/PNG/WebP/GIF 图片和 MP4/MOV/3GP/WebM 视频"
                    ).format(where=where)
                }
            ) from None
        prepared.append(Prepared("image", "jpg", "image/jpeg", data=data, size=len(data)))
    return prepared


def tip_folder(tip_id: int) -> Path:
    return Path(settings.UPLOAD_DIR) / "tips" / str(tip_id)


def write_prepared(tip_id: int, item: Prepared) -> str:
    """Write one checked file under UPLOAD_DIR (owner-only, generated name); returns its relative path."""
    folder = f"tips/{tip_id}"
    if item.data is not None:
        return files.save_bytes(folder, item.data, item.ext)
    return files.save_upload(folder, item.upload, item.ext, limit=MAX_VIDEO_BYTES, field="files")


absolute = files.absolute
