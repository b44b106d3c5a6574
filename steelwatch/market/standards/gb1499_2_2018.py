"""GB/T 1499.2-2018 钢筋混凝土用钢 第2部分：热轧带肋钢筋 (in force 2018-11-01, replaced by GB 1499.2-2024 on
2024-09-25). Figures from the research note `shared/research/market.md` §1a–1d, whose sources reproduce the
tables (cakrasteel.co.id, onesteels.com); the clause numbers follow the 2018 text's layout (§6 dimensions and
weight, §7 technical requirements, §9 inspection rules) and are to be checked against the official text.
"""

import datetime

from .base import Band, D, Grade, Limit, Standard

CODE = "GB/T 1499.2-2018"
MECH = f"{CODE} 7.4 力学性能（表6）"
CHEM = f"{CODE} 7.1 牌号和化学成分（表2）"
CEQ = f"{CODE} 7.1 碳当量（表2）"
N_CLAUSE = f"{CODE} 7.1.3 氮含量"
BEND = f"{CODE} 7.5.1 弯曲性能（表7）"
REVERSE = f"{CODE} 7.5.2 反向弯曲性能"
A_NOTE = f"{CODE} 7.4 表6 注：直径28～40 mm A可降低1%，大于40 mm 可降低2%"


def _chemistry(*, c: str, ceq: str) -> dict[str, Limit]:
    return {
        "c": Limit(maximum=D(c), clause=CHEM),
        "si": Limit(maximum=D("0.80"), clause=CHEM),
        "mn": Limit(maximum=D("1.60"), clause=CHEM),
        "p": Limit(maximum=D("0.045"), clause=CHEM),
        "s": Limit(maximum=D("0.045"), clause=CHEM),
        "n": Limit(maximum=D("0.012"), clause=N_CLAUSE),
        "ceq": Limit(maximum=D(ceq), clause=CEQ),
    }


# Bend mandrel as a multiple of the nominal diameter d: 6–25 / 28–40 / >40–50 mm.
def _mandrels(small: int, middle: int, large: int) -> tuple[Band, ...]:
    return (Band(6, 25, D(small)), Band(28, 40, D(middle)), Band(41, 50, D(large)))


def _grade(name: str, rel: int, rm: int, a: int | None, *, c="0.25", ceq: str, mandrels, seismic=False):
    return Grade(
        name=name,
        rel=Limit(minimum=D(rel), clause=MECH),
        rm=Limit(minimum=D(rm), clause=MECH),
        a=None if a is None else Limit(minimum=D(a), clause=MECH),
        agt=Limit(minimum=D("9.0" if seismic else "7.5"), clause=MECH),
        chemistry=_chemistry(c=c, ceq=ceq),
        bend_mandrel=mandrels,
        bend_clause=BEND,
        rm_rel_ratio=Limit(minimum=D("1.25"), clause=MECH) if seismic else None,
        rel_ratio=Limit(maximum=D("1.30"), clause=MECH) if seismic else None,
        reverse_bend=seismic,
        reverse_bend_clause=REVERSE if seismic else "",
    )


_400 = _mandrels(4, 5, 6)
_500 = _mandrels(6, 7, 8)
_600 = _mandrels(6, 7, 8)

GRADES = {
    # 400 class: ReL 400, Rm 540, A 16, Agt 7.5; E grades: A "—", Agt 9.0, Rm°/ReL° ≥ 1.25, ReL°/ReL ≤ 1.30
    **{g: _grade(g, 400, 540, 16, ceq="0.54", mandrels=_400) for g in ("HRB400", "HRBF400")},
    **{
        g: _grade(g, 400, 540, None, ceq="0.54", mandrels=_400, seismic=True) for g in ("HRB400E", "HRBF400E")
    },
    # 500 class: ReL 500, Rm 630, A 15, Agt 7.5
    **{g: _grade(g, 500, 630, 15, ceq="0.55", mandrels=_500) for g in ("HRB500", "HRBF500")},
    **{
        g: _grade(g, 500, 630, None, ceq="0.55", mandrels=_500, seismic=True) for g in ("HRB500E", "HRBF500E")
    },
    # HRB600 (new in 2018): ReL 600, Rm 730, A 14, Agt 7.5; C up to 0.28, Ceq 0.58
    "HRB600": _grade("HRB600", 600, 730, 14, c="0.28", ceq="0.58", mandrels=_600),
}

STANDARD = Standard(
    code=CODE,
    title="钢筋混凝土用钢 第2部分：热轧带肋钢筋",
    product="hot_rolled_ribbed",
    effective=datetime.date(2018, 11, 1),
    superseded_on=datetime.date(2024, 9, 25),
    superseded_by="GB 1499.2-2024",
    diameters=(6, 8, 10, 12, 14, 16, 18, 20, 22, 25, 28, 32, 36, 40, 50),
    grades=GRADES,
    weight_deviation=(Band(6, 12, D("6.0")), Band(14, 20, D("5.0")), Band(22, 50, D("4.0"))),
    weight_clause=f"{CODE} 6.6 重量允许偏差（表4）",
    a_reductions=(Band(28, 40, D(1)), Band(41, 50, D(2))),
    a_reduction_clause=A_NOTE,
    ceq_product_tolerance=D("0.03"),
    retest_excluded=("weight_deviation",),
    retest_clause=f"{CODE} 9.3 复验与判定：重量偏差不合格不得复验",
    sources=(
        "https://cakrasteel.co.id/standardization/chinese-standard",
        "https://onesteels.com/?p=5074",
        "https://www.codeofchina.com/standard/GBT1499.2-2018.html",
    ),
    provisional=(
        "E 牌号断后伸长率 A 按表6为“—”（以 Agt 判定）、反向弯曲为 E 牌号必检项、重量偏差不得复验，"
        "均据研究笔记的记忆值，发布前须对照标准正式文本核对；条款编号亦同"
    ),
)
