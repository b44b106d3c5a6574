"""Name normalisation on a table of real-shaped names (the place table is the bundled division tree)."""

import pytest

from steelwatch.credit.names import PlaceTable, clean, parse_name, short_place, split_branch
from steelwatch.geo.divisions import bundled_divisions


@pytest.fixture(scope="module")
def table():
    return PlaceTable.from_rows((c, n) for c, n, level, _ in bundled_divisions() if level <= 3)


@pytest.mark.parametrize(
    ("name", "trade", "industry", "form", "place"),
    [
        ("常州鑫達特殊鋼鐵（集團）有限公司", "鑫达", "特钢", "有限公司", "320400"),
        ("常州市武进区鑫达特钢有限公司", "鑫达", "特钢", "有限公司", "320412"),
        ("鑫达特钢（常州）有限公司", "鑫达", "特钢", "有限公司", "320400"),
        ("江苏省常州市武进区鑫达钢铁股份有限公司", "鑫达", "钢", "股份有限公司", "320412"),
        ("ＣＺ鑫达特殊钢有限责任公司", "CZ鑫达", "特钢", "有限责任公司", ""),
        ("武进鑫达金属制品厂", "鑫达", "金属", "厂", "320412"),
        ("常州市武进区宏达机械有限公司", "宏达", "机械", "有限公司", "320412"),
        ("广西壮族自治区南宁市鑫达冶金有限责任公司", "鑫达", "冶金", "有限责任公司", "450100"),
        ("常州鑫达特钢合伙企业（有限合伙）", "鑫达", "特钢", "合伙企业", "320400"),
        ("鑫达特钢（中国）有限公司", "鑫达", "特钢", "有限公司", ""),
    ],
)
def test_parse(table, name, trade, industry, form, place):
    parts = parse_name(name, table)
    assert (parts.trade_name, parts.industry, parts.form, parts.place_code) == (trade, industry, form, place)


def test_branch_is_split_off(table):
    assert split_branch("常州鑫达特钢有限公司武进分公司") == ("常州鑫达特钢有限公司", "武进分公司")
    parts = parse_name("常州鑫达特钢有限公司武进分公司", table)
    assert (parts.trade_name, parts.branch) == ("鑫达", "武进分公司")


def test_clean_and_short_places():
    assert clean("鑫達 特鋼·（集團）") == "鑫达特钢(集团)"
    assert [short_place(n) for n in ("江苏省", "常州市", "武进区", "广西壮族自治区", "沙县")] == [
        "江苏",
        "常州",
        "武进",
        "广西",
        "",
    ]


def test_homophones_share_pinyin(table):
    assert parse_name("新达特钢有限公司", table).pinyin == parse_name("鑫达特钢有限公司", table).pinyin
