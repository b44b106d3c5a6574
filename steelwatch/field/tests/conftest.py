"""A grid of three sites (two operating, one idle zombie with a power account) and its officer, and photos
with EXIF time and position as a phone takes them."""

import datetime
import io

import pytest
from PIL import Image

from steelwatch.field.models import PatrolPlan
from steelwatch.geo.models import Division, Grid
from steelwatch.registry.models import PowerAccount
from steelwatch.testing import make_enterprise, make_user


def jpeg_with_exif(when: datetime.datetime) -> bytes:
    image = Image.new("RGB", (64, 48), "gray")
    exif = Image.Exif()
    exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 42.0, 0.0), 3: "E", 4: (119.0, 57.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo(when: datetime.datetime) -> io.BytesIO:
    out = io.BytesIO(jpeg_with_exif(when))
    out.name = "site.jpg"
    return out


@pytest.fixture
def scene(owner):
    township = Division.objects.filter(parent_id="320412").order_by("code").first()
    grid = Grid.objects.create(code="G-WJ-001", name="一号网格", division=township)
    officer = make_user("grid_officer", township.code, username="gridwoman")
    officer.grid = grid
    officer.save()
    sites = [
        make_enterprise(township.code, grid=grid, latitude=31.70 + i / 1000, longitude=119.95, status=status)
        for i, status in enumerate(["operating", "operating", "idle"])
    ]
    PowerAccount.objects.create(
        account_id="3204120001", enterprise=sites[2], division=township, contracted_kva=800
    )
    PatrolPlan.objects.create(grid=grid, sites="all", every_days=30)
    return {"township": township, "grid": grid, "officer": officer, "sites": sites}
