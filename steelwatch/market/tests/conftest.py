"""A market scene in 武进区 (320412): two sampling officers of the market-regulation bureau, a steel seller in a
township with an incoming-goods record of heat 24B0711 from a dealer, its manufacturer outside the city, and
a second district's market officer (新北区 320411)."""

import datetime

import pytest

from steelwatch.geo.models import Division
from steelwatch.market.models import SupplyRecord
from steelwatch.registry.models import ProductionLicence
from steelwatch.testing import make_enterprise, make_uscc, make_user

HEAT = "24B0711"
OUT_OF_AREA_USCC = make_uscc("130500")  # 河北省邢台市: not covered by any user of the deployment


def market_user(division: str, username: str):
    return make_user("department_staff", division, department="market_regulation", username=username)


@pytest.fixture
def officer(db):
    return market_user("320412", "market_wj_1")


@pytest.fixture
def officer2(db):
    return market_user("320412", "market_wj_2")


@pytest.fixture
def other_district(db):
    return market_user("320411", "market_xb_1")


@pytest.fixture
def township(db):
    return Division.objects.filter(parent_id="320412").order_by("code").first()


@pytest.fixture
def seller(township):
    return make_enterprise(township.code, name="武进湖塘钢材市场联诚建材经营部", industry="钢材销售")


@pytest.fixture
def licence(db):
    liyang = Division.objects.filter(parent_id="320481").order_by("code").first()
    mill = make_enterprise(liyang.code, name="溧阳某轧钢有限公司", industry="钢压延加工")
    return ProductionLicence.objects.create(
        enterprise=mill,
        number="XK05-001-00123",
        scope="钢筋混凝土用热轧带肋钢筋",
        valid_from=datetime.date(2019, 3, 1),
        valid_until=datetime.date(2024, 2, 28),
    )


@pytest.fixture
def incoming(seller):
    return SupplyRecord.objects.create(
        holder=seller,
        supplier_name="常州顺达物资贸易有限公司",
        supplier_uscc=make_uscc("320411"),
        manufacturer_name="邢台某钢铁有限公司",
        manufacturer_uscc=OUT_OF_AREA_USCC,
        licence_number="XK05-001-99999",
        heat_number=HEAT,
        product="hot_rolled_ribbed",
        grade="HRB400E",
        diameter_mm=20,
        tonnes="32.500",
        received_on=datetime.date(2026, 2, 10),
    )
