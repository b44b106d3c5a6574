"""The shape of a product standard as data: grades with their limits, diameter bands, each citing its clause.

Nothing here knows Django. A standard is one immutable `Standard`; the tables themselves live in one module
per standard text (`gb1499_2_2018.py`, `gb1499_1_2017.py`) and `standards/__init__.py` picks the text that
applies on a production date.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


def D(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class Band:
    """A diameter band [low, high] (mm, inclusive) and the value that applies in it."""

    low: int
    high: int
    value: Decimal

    def holds(self, diameter: Decimal) -> bool:
        return self.low <= diameter <= self.high


@dataclass(frozen=True)
class Limit:
    """One requirement: `minimum` or `maximum` (or both), and where the standard says so."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    clause: str = ""


@dataclass(frozen=True)
class Grade:
    name: str
    rel: Limit  # 下屈服强度 ReL, MPa (min)
    rm: Limit  # 抗拉强度 Rm, MPa (min)
    a: Limit | None  # 断后伸长率 A, % (min); None where the table has "—" (E grades judge Agt)
    agt: Limit  # 最大力总延伸率 Agt, % (min)
    chemistry: dict[str, Limit]  # c, si, mn, p, s, n, ceq: max %
    bend_mandrel: tuple[Band, ...]  # mandrel diameter as a multiple of d, per diameter band
    bend_clause: str
    rm_rel_ratio: Limit | None = None  # Rm°/ReL° (min), E grades
    rel_ratio: Limit | None = None  # ReL°/ReL (max), E grades
    reverse_bend: bool = False  # reverse bend required (E grades)
    reverse_bend_clause: str = ""


@dataclass(frozen=True)
class Standard:
    code: str  # "GB/T 1499.2-2018"
    title: str
    product: str  # hot_rolled_ribbed | hot_rolled_plain
    effective: datetime.date
    superseded_on: datetime.date | None  # the day the next text took effect
    superseded_by: str
    diameters: tuple[int, ...]  # the nominal diameters the standard knows (mm)
    grades: dict[str, Grade]
    weight_deviation: tuple[Band, ...]  # allowed ± deviation, %
    weight_clause: str
    a_reductions: tuple[Band, ...] = ()  # percentage points A may be lower, per diameter band
    a_reduction_clause: str = ""
    ceq_product_tolerance: Decimal = Decimal("0")  # product analysis may exceed the Ceq limit by this
    ceq_formula: str = "Ceq = C + Mn/6 + (Cr+V+Mo)/5 + (Cu+Ni)/15"
    retest_excluded: tuple[str, ...] = ("weight_deviation",)  # items a failure of which may not be re-tested
    retest_clause: str = ""
    sources: tuple[str, ...] = field(default=())
    provisional: str = ""  # a caveat about the figures (values recalled, not read in the official text)


def band_value(bands: tuple[Band, ...], diameter: Decimal) -> Decimal | None:
    return next((band.value for band in bands if band.holds(diameter)), None)
