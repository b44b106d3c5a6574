"""Word lists for demo names: company trade names, industries, people, roads. Invented, not real firms."""

# Trade names (字号) are built from two syllables; the products give ~1,500 distinct names.
TRADE_FIRST = "恒华金宏永鑫盛兴泰瑞嘉通达信诚隆丰鼎润昌源德顺丰凯新天宇海正中亿远明博航锦"
TRADE_SECOND = "达通鼎润鑫源泰昌隆盛发丰利祥瑞华宇恒星辉业成信安邦晟岳峰腾富创嘉"

# Industry (行业 free text as officials write it) → words used in company names, and the kind of site.
# kind: what its furnaces / power / licences look like (see ledger.py).
INDUSTRIES = [
    # (industry, weight, name words, kind)
    ("机械加工", 22, ["机械", "机械制造", "精密机械", "机械加工"], "machining"),
    ("金属制品", 14, ["金属制品", "金属材料", "金属科技"], "machining"),
    ("五金", 10, ["五金", "五金制品", "五金工具"], "machining"),
    ("汽车零部件", 8, ["汽车配件", "汽车零部件", "车辆部件"], "machining"),
    ("模具制造", 5, ["模具", "模具制造", "模塑科技"], "machining"),
    ("热处理", 4, ["热处理", "金属热处理", "表面处理"], "heat_treatment"),
    ("钢材贸易", 7, ["钢材贸易", "物资贸易", "钢铁贸易", "金属材料贸易"], "trade"),
    ("废旧物资回收", 5, ["再生资源回收", "废旧物资回收", "物资回收", "再生资源"], "recycling"),
    ("冷库仓储", 4, ["冷链物流", "冷藏仓储", "冷冻食品"], "cold"),
    ("仓储物流", 5, ["仓储", "物流", "仓储服务"], "warehouse"),
    ("纺织", 5, ["纺织", "纺织品", "织造"], "textile"),
    ("注塑制品", 4, ["塑业", "塑料制品", "注塑"], "textile"),
    ("电子元件", 4, ["电子", "电子科技", "电器"], "textile"),
    ("建材", 3, ["建材", "新型建材", "建筑材料"], "warehouse"),
]
ROLLING = ("轧钢", ["钢铁", "型钢", "钢业", "轧钢"])
FOUNDRY = ("铸造", ["铸造", "铸业", "精密铸造", "铸件", "机械铸造"])
SPECIAL_STEEL = ("特钢", ["特钢", "特种钢", "合金材料", "特殊钢"])

COMPANY_SUFFIXES = ["有限公司"] * 9 + ["股份有限公司"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌海波宏云峰健辉林鹏飞俊亮宇浩凯晨欣怡"

ROADS = [
    "人民路",
    "长江路",
    "黄河路",
    "延陵路",
    "常武路",
    "湖滨路",
    "工业大道",
    "兴业路",
    "创业路",
    "振兴路",
    "富民路",
    "环镇路",
    "新南路",
    "花园街",
    "广电路",
    "青洋路",
    "龙江路",
    "汉江路",
    "通江大道",
    "科技路",
]
PARKS = ["工业集中区", "工业园", "科技园", "创业园", "经济开发区"]

# Furnace purposes within 钢协〔2017〕23号 (castings, special steel / alloys — never billets or ingots).
FOUNDRY_PURPOSES = [
    "灰铸铁件熔炼",
    "球墨铸铁件熔炼",
    "铸钢件熔炼（阀门、泵体铸件）",
    "精密铸造用不锈钢熔炼",
    "耐磨铸件熔炼",
    "机床铸件熔炼",
]
SPECIAL_PURPOSES = [
    "高速工具钢冶炼",
    "高温合金冶炼",
    "不锈钢母合金冶炼",
    "模具钢冶炼（配套电渣重熔）",
    "精密合金冶炼",
]
LEGITIMACY_FOUNDRY = "符合钢协〔2017〕23号：用于铸造企业熔化铸铁、铸钢等生产铸件，不生产钢坯、钢锭"
LEGITIMACY_SPECIAL = "符合钢协〔2017〕23号：用于特钢企业冶炼高合金钢、合金，配套精炼设备，不生产建筑用钢"

WATCHLIST_REASONS = {
    "formerly_banned": "曾取缔“地条钢”产能，防止死灰复燃",
    "zombie": "僵尸企业，感应炉等设备仍在现场",
    "capacity": "近期申请增容，申请容量明显超出登记设备需求",
    "tip": "群众举报线索，待核实",
    "off_ledger": "排查发现台账外使用感应炉，待核实纳入台账或取缔",
    "remote": "地处偏僻、监管难度大，废钢来源集中",
}
SEAL_NOTES = ["经排查超出登记用途，依法封存", "企业申请停用，现场贴封条", "整改期间封存"]
DISMANTLE_NOTE = "企业关停，设备拆除运离现场"
DESTROY_NOTES = ["按“五个彻底”要求拆除捣毁，现场已清理", "取缔“地条钢”产能，设备销毁"]
CAPACITY_REASONS = ["新增生产设备", "扩大生产规模", "新建车间用电", "原变压器老化更换"]
