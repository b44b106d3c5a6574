"""A closure scene in 武进区: an enterprise on a grid with its officer, two furnaces, a power account,
and the department users a joint verification and enforcement need."""

import datetime
import io
import itertools
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from steelwatch.geo.models import Division, Grid
from steelwatch.registry.models import Enterprise, PowerAccount
from steelwatch.registry.services import furnace_create
from steelwatch.testing import make_enterprise, make_user

MONDAY = datetime.date(2026, 3, 2)


_SHOTS = itertools.count()
NOW = object()


def jpeg_bytes(*, gps=True, taken=NOW, color="gray") -> bytes:
    """A camera photo: taken now unless `taken` ("YYYY:MM:DD HH:MM:SS", or None for no time) says otherwise;
    every call is a different picture (as two shots of a site are), so one photo is never two proofs by accident."""
    image = Image.new("RGB", (64, 48), color)
    shot = next(_SHOTS)
    for bit in range(48):  # the shot's number as 8 × 8 blocks, which no JPEG re-encoding blurs into another
        if shot >> bit & 1:
            image.paste("black", (bit % 8 * 8, bit // 8 * 8, bit % 8 * 8 + 8, bit // 8 * 8 + 8))
    if taken is NOW:
        taken = timezone.localtime().strftime("%Y:%m:%d %H:%M:%S")
    exif = Image.Exif()
    exif[0x0110] = "TestCam"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 42.0, 30.0), 3: "E", 4: (119.0, 56.0, 0.0)})
    if taken:
        exif.get_ifd(0x8769).update({36867: taken})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo(name="site.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf(name="report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


@dataclass
class Scene:
    township: Division
    grid: Grid
    enterprise: Enterprise
    account: PowerAccount
    furnaces: list
    grid_officer: object
    environment: object
    market: object
    power: object
    water: object
    police: object


@pytest.fixture
def scene(db, owner):
    township = Division.objects.filter(parent_id="320412").order_by("code").first()
    grid = Grid.objects.create(code="WJ-001", name="一号网格", division=township)
    enterprise = make_enterprise(
        township.code,
        grid=grid,
        name="武进某金属制品厂",
        legal_representative="张某",
        longitude="119.933000",
        latitude="31.708000",
    )
    furnaces = [
        furnace_create(
            actor=owner, enterprise=enterprise, number=n, kind="medium_freq", capacity_t=5, rated_kw=3000
        )
        for n in ("1号炉", "2号炉")
    ]
    account = PowerAccount.objects.create(
        account_id="3204120001", enterprise=enterprise, division=township, contracted_kva=2000
    )
    return Scene(
        township=township,
        grid=grid,
        enterprise=enterprise,
        account=account,
        furnaces=furnaces,
        grid_officer=make_user("grid_officer", township.code, username="grid1", grid=grid),
        environment=make_user("department_staff", "320412", department="environment", username="env1"),
        market=make_user("department_staff", "320412", department="market_regulation", username="market1"),
        power=make_user("department_staff", "320412", department="power_company", username="power1"),
        water=make_user("department_staff", "320412", department="water_utility", username="water1"),
        police=make_user("department_staff", "320412", department="police", username="police1"),
    )


@pytest.fixture
def alert_case(scene, owner):
    from steelwatch.cases.services import case_open

    return case_open(
        actor=None,
        title="用电异常：武进某金属制品厂",
        source="power_alert",
        source_ref="alert:1",
        division_code=scene.township.code,
        enterprise=scene.enterprise,
    )


def prove_closure(actor, case, furnaces, *, leave_out: tuple[str, ...] = ()) -> None:
    """A photo for each of the five closure checks (the destroyed furnaces named), but those in `leave_out`."""
    from steelwatch.cases.models import ClosureCheck
    from steelwatch.cases.services import closure_evidence_add

    for item in ClosureCheck.values:
        if item not in leave_out:
            closure_evidence_add(
                actor=actor,
                case=case,
                item=item,
                upload=photo(),
                furnace_ids=[f.pk for f in furnaces] if item == "equipment_destroyed" else (),
            )
