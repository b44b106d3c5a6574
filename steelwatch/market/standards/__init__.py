"""The product standards as versioned data, and the choice of the text that applies on a production date.

Each text is a module holding one `STANDARD`. GB 1499.2-2024 and GB 1499.1-2024 took effect on 2024-09-25;
their tables are not at hand yet, so product made on or after that day is judged against the 2018/2017
text and the verdict says so (`choose` returns that note).
"""

import datetime

from . import gb1499_1_2017, gb1499_2_2018
from .base import Band, Grade, Limit, Standard, band_value

# Every text we hold, per product, oldest first. Add GB 1499.2-2024 / GB 1499.1-2024 here as modules.
VERSIONS: dict[str, tuple[Standard, ...]] = {
    "hot_rolled_ribbed": (gb1499_2_2018.STANDARD,),
    "hot_rolled_plain": (gb1499_1_2017.STANDARD,),
}
PRODUCT_LABELS = {"hot_rolled_ribbed": "热轧带肋钢筋", "hot_rolled_plain": "热轧光圆钢筋"}
GRADES: dict[str, str] = {grade: product for product, texts in VERSIONS.items() for grade in texts[-1].grades}


def product_of(grade: str) -> str | None:
    return GRADES.get(grade)


def choose(product: str, production_date: datetime.date | None) -> tuple[Standard, str]:
    """The text that applies to product made on `production_date`, and a note when it is not the text in force."""
    texts = VERSIONS[product]
    if production_date is None:
        latest = texts[-1]
        return latest, f"生产日期未知，按 {latest.code} 判定"
    applicable = [t for t in texts if t.effective <= production_date] or [texts[0]]
    standard = applicable[-1]
    if production_date < standard.effective:
        return (
            standard,
            f"生产日期 {production_date} 早于 {standard.code} 实施日期，仍按 {standard.code} 判定",
        )
    if standard.superseded_on and production_date >= standard.superseded_on:
        return standard, (
            f"生产日期 {production_date} 在 {standard.superseded_by} 实施（{standard.superseded_on}）之后；"
            f"该标准数值表尚未录入，本结论按 {standard.code} 文本判定"
        )
    return standard, ""


__all__ = [
    "Band",
    "GRADES",
    "Grade",
    "Limit",
    "PRODUCT_LABELS",
    "Standard",
    "VERSIONS",
    "band_value",
    "choose",
]
