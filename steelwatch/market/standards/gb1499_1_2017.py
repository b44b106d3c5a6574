"""GB/T 1499.1-2017 钢筋混凝土用钢 第1部分：热轧光圆钢筋 (HPB300; replaced by GB 1499.1-2024 on 2024-09-25).
Figures from the research note §1e: mechanical values and chemistry from the 2012 amendment carried into 2017
(sspnext.com), S 0.045 and the no-retest rule for weight deviation from bzfyw.com. The 2017 weight-deviation
bands (6–12 ±6.0 %, 14–22 ±5.0 %) are recalled, not read in a source: check before relying on them.
"""

import datetime

from .base import Band, D, Grade, Limit, Standard

CODE = "GB/T 1499.1-2017"
MECH = f"{CODE} 7.3 力学性能（表5）"
CHEM = f"{CODE} 7.1 牌号和化学成分（表4）"

GRADES = {
    "HPB300": Grade(
        name="HPB300",
        rel=Limit(minimum=D(300), clause=MECH),
        rm=Limit(minimum=D(420), clause=MECH),
        a=Limit(minimum=D("25.0"), clause=MECH),
        agt=Limit(minimum=D("10.0"), clause=MECH),
        chemistry={
            "c": Limit(maximum=D("0.25"), clause=CHEM),
            "si": Limit(maximum=D("0.55"), clause=CHEM),
            "mn": Limit(maximum=D("1.50"), clause=CHEM),
            "p": Limit(maximum=D("0.045"), clause=CHEM),
            "s": Limit(maximum=D("0.045"), clause=CHEM),
        },
        bend_mandrel=(Band(6, 22, D(1)),),  # 180°, d = a
        bend_clause=f"{CODE} 7.4 弯曲性能（弯心直径 d = a）",
    )
}

STANDARD = Standard(
    code=CODE,
    title="钢筋混凝土用钢 第1部分：热轧光圆钢筋",
    product="hot_rolled_plain",
    effective=datetime.date(2018, 9, 1),
    superseded_on=datetime.date(2024, 9, 25),
    superseded_by="GB 1499.1-2024",
    diameters=(6, 8, 10, 12, 14, 16, 18, 20, 22),
    grades=GRADES,
    weight_deviation=(Band(6, 12, D("6.0")), Band(14, 22, D("5.0"))),
    weight_clause=f"{CODE} 6.5 重量允许偏差",
    retest_excluded=("weight_deviation",),
    retest_clause=f"{CODE} 9.2 复验与判定：重量偏差不合格不得复验",
    sources=("http://www.sspnext.com/notice/41648.html", "http://bzfyw.com/standard/GBT1499.1-2017.html"),
    provisional="重量偏差分档（6～12 mm ±6.0%，14～22 mm ±5.0%）为记忆值，须对照 2017 年正式文本核对",
)
