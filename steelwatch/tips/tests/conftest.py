"""Fixtures for the tips tests: tip handlers in 武进区 (the owner's district) and in 新北区 (the outsider's)."""

import io
import re

import pytest
from django.db import connection

PHONE = "13912345678"
NAME = "王举报"


@pytest.fixture
def township(db):
    from steelwatch.geo.models import Division

    return Division.objects.filter(parent_id="320412").order_by("code").first()


@pytest.fixture
def handler(db):
    from steelwatch.testing import make_user

    return make_user("tip_handler", "320412", username="handler")


@pytest.fixture
def other_handler(db):
    from steelwatch.testing import make_user

    return make_user("tip_handler", "320411", username="other_handler")


@pytest.fixture
def submitted(db, township):
    """A tip with the reporter's name and phone, in the owner's district."""
    from steelwatch.tips.services import tip_submit

    tip, key = tip_submit(
        channel="web",
        content="夜里有中频炉在炼钢，冒黑烟",
        address="湖塘镇某村东头厂房",
        division_code=township.code,
        reporter={"name": NAME, "phone": PHONE},
    )
    return tip, key


def jpeg_with_gps() -> bytes:
    """A real JPEG carrying EXIF GPS coordinates and a camera make/model."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"  # Make
    exif[0x0110] = "SpyCamModel"  # Model
    exif[0x8825] = {1: "N", 2: (31.0, 42.0, 30.0), 3: "E", 4: (119.0, 57.0, 10.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def database_text() -> bytes:
    """Every byte the database holds: the SQLite file image, or every PostgreSQL row as text."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return connection.connection.serialize()
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT t::text FROM "{table}" t')
            chunks += [row[0].encode() for row in cursor.fetchall()]
    return b"\n".join(chunks)


def receipt_and_key(html: str) -> tuple[str, str]:
    receipt = re.search(r'id="receipt">([^<]+)<', html).group(1)
    key = re.search(r'id="key">([^<]+)<', html).group(1)
    return receipt, key
