"""core/files.py: stored files are owner-only under generated names, images lose their metadata (the original
EXIF kept only on request), paths cannot leave UPLOAD_DIR, and downloads keep their Chinese file names."""

import io
import stat
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from PIL import Image

from steelwatch.core import files
from steelwatch.registry.tests.ledger_files import exported


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SteelWatch Test Camera"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 42.0, 0.0), 3: "E", 4: (119.0, 57.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_saved_files_are_owner_only_with_generated_names(settings):
    relative = files.save_upload(
        "imports/7", SimpleUploadedFile("../../台账.xlsx", b"PK\x03\x04 data"), "xlsx"
    )
    path = files.absolute(relative)
    assert path.parent == settings.UPLOAD_DIR.resolve() / "imports" / "7"
    assert "台账" not in path.name and path.suffix == ".xlsx" and len(path.stem) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert files.delete([relative, "imports/7/missing.xlsx"]) == 1 and not path.exists()


def test_size_limits_and_paths_outside_the_folder(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="过大"):
        files.save_upload("x", SimpleUploadedFile("大文件.csv", b"0" * 11), "csv")
    with pytest.raises(ValidationError, match="为空"):
        files.check_size(SimpleUploadedFile("空.csv", b""))
    for bad in ("../outside.txt", "/etc/passwd", ""):
        with pytest.raises(ValueError):
            files.absolute(bad)
    with pytest.raises(Http404):
        files.serve("../outside.txt", filename="x.txt", content_type="text/plain")


def test_images_are_reencoded_without_exif_and_the_original_kept_on_request():
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    served = files.reencode_image(io.BytesIO(original))
    assert served.exif.get_ifd(0x8825)[2] == (31.0, 42.0, 0.0)  # read from the original…
    clean = Image.open(io.BytesIO(served.data))
    assert not clean.getexif() and "exif" not in clean.info  # …and gone from the stored copy
    assert served.original_exif is None
    kept = files.reencode_image(io.BytesIO(original), keep_exif=True)
    evidence = Image.Exif()
    evidence.load(kept.original_exif)
    assert evidence.get_ifd(0x8825)[4] == (119.0, 57.0, 0.0) and evidence[0x010F] == "SteelWatch Test Camera"
    with pytest.raises(files.ImageRefused):
        files.reencode_image(io.BytesIO(b"not an image at all"))


def test_served_files_keep_their_chinese_names():
    relative = files.save_bytes("cases/1", b"%PDF-1.4", "pdf")
    response = files.serve(relative, filename="现场检查记录.pdf", content_type="application/pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('现场检查记录.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    inline = files.serve(relative, filename="照片.jpg", content_type="image/jpeg", as_attachment=False)
    assert inline["Content-Disposition"].startswith("inline; filename*=utf-8''")
    download = files.bytes_response(b"data", filename="台账导入模板.xlsx")
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('台账导入模板.xlsx')}"


@pytest.mark.django_db
@pytest.mark.urls("steelwatch.registry.tests.excel_urls")
def test_ledger_downloads_keep_their_chinese_names(client, owner):
    client.force_login(owner)
    template = client.get(reverse("ledger_excel:import_template"))
    assert template["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('台账导入模板.xlsx')}"
    export = exported(client)[1]
    header = export["Content-Disposition"]
    assert header.startswith(f"attachment; filename*=utf-8''{quote('台账_')}") and header.endswith(".xlsx")


def test_only_core_files_writes_a_content_disposition_header():
    """Downloads go through files.serve / files.bytes_response (Django's content_disposition_header): a
    hand-built header loses the Chinese file name (the market's templates saved as 'template.xlsx')."""
    from pathlib import Path

    import steelwatch

    root = Path(steelwatch.__file__).parent
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "files.py"
        and "Content-Disposition" in path.read_text(encoding="utf-8")
    ]
    assert writers == []
