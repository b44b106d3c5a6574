"""Chinese company names reduced to what identifies the firm: the core 字号 + 行业 (企业名称登记管理规定 Art 6).

    常州鑫達特殊鋼鐵（集團）有限公司  →  places 常州; trade name 鑫达; industry 特钢; form 有限公司
    常州市武进区鑫达特钢有限公司      →  places 常州 武进; trade name 鑫达; industry 特钢; form 有限公司

Steps (each a small pure function, tested on tables of names): NFKC (full-width → half-width), OpenCC t2s
(traditional → simplified), brackets unified and punctuation/whitespace removed, the marks （集团）（中国）and
（…合伙） dropped (Arts 12 and 14; 合伙企业法), a branch suffix split off (Art 13: 分公司/分厂/分店), the longest
legal-form suffix stripped (公司法 Art 7 and the forms individual businesses use), leading place names
stripped with the division tree (province / city / district, with and without 省/市/区/县), and industry words
brought to one spelling (特殊钢铁 = 特殊钢 = 特钢; 钢铁 = 钢) so that abbreviations compare equal.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from opencc_purepy import OpenCC
from pypinyin import lazy_pinyin

# Legal forms, longest first when matched (a curated list; cleanco and rigour do not split unspaced Chinese).
LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "集团股份有限公司",
    "股份合作公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "总公司",
    "公司",
    "个人独资企业",
    "合伙企业",
    "专业合作社",
    "合作社",
    "联合社",
    "经营部",
    "门市部",
    "加工厂",
    "制造厂",
    "厂",
    "商行",
    "店",
    "行",
    "中心",
    "工作室",
    "企业",
)
BRANCH_MARKS = ("分公司", "分厂", "分店", "分部", "办事处", "经营处")
# Marks dropped wherever they stand (Arts 12 and 14; 合伙企业法 Arts 15, 56, 62).
DROPPED_MARKS = (
    "(集团)",
    "(中国)",
    "(普通合伙)",
    "(特殊普通合伙)",
    "(有限合伙)",
    "(个人独资)",
    "(个体工商户)",
)
# Industry words (行业/经营特点), each → one canonical spelling; longest matched first.
INDUSTRY_WORDS = {
    "特殊钢铁": "特钢",
    "特殊钢": "特钢",
    "特钢": "特钢",
    "钢铁制品": "钢",
    "钢铁": "钢",
    "钢业": "钢",
    "钢材": "钢材",
    "钢": "钢",
    "铸造": "铸造",
    "铸业": "铸造",
    "铸钢": "铸造",
    "冶金": "冶金",
    "冶炼": "冶金",
    "金属制品": "金属",
    "金属材料": "金属",
    "金属": "金属",
    "五金": "五金",
    "机械制造": "机械",
    "机械设备": "机械",
    "机械": "机械",
    "机电": "机电",
    "炉料": "炉料",
    "再生资源": "再生资源",
    "废旧物资回收": "再生资源",
    "物资回收": "再生资源",
    "物资": "物资",
    "建材": "建材",
    "新材料": "材料",
    "材料": "材料",
    "贸易": "贸易",
    "商贸": "贸易",
    "实业": "实业",
    "科技": "科技",
    "工贸": "工贸",
    "制品": "制品",
    "电器": "电器",
    "管业": "管业",
    "线材": "线材",
}
_INDUSTRY_ORDER = sorted(INDUSTRY_WORDS, key=len, reverse=True)
_PUNCTUATION = re.compile(r"[\s\u3000·•・,，.。、;；:：'\"“”‘’!！?？/\\|\-—_~`#*&+=<>《》「」『』]+")
_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"}
)
_PLACE_SUFFIXES = re.compile(r"(特别行政区|自治区|自治州|自治县|地区|新区|省|市|区|县|盟|旗)$")
_ETHNIC = re.compile(
    r"^(.{2,3}?)(壮族|回族|维吾尔|藏族|蒙古族|朝鲜族|土家族|苗族|彝族|侗族|布依族|黎族|傣族|.{1,4}族)+$"
)


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def clean(name: str) -> str:
    """Full-width → half-width, traditional → simplified, one kind of bracket, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", str(name or "")).translate(_BRACKETS)
    text = _t2s().convert(text)
    return _PUNCTUATION.sub("", text).upper()


def short_place(name: str) -> str:
    """江苏省 → 江苏, 常州市 → 常州, 武进区 → 武进, 广西壮族自治区 → 广西; "" when too short to be safe."""
    short = _PLACE_SUFFIXES.sub("", name)
    ethnic = _ETHNIC.match(short)
    if ethnic:
        short = ethnic.group(1)
    return short if len(short) >= 2 and short != name else ""


@dataclass(frozen=True)
class PlaceTable:
    """Place name (full or short) → the division codes it may mean."""

    codes: dict[str, tuple[str, ...]]
    longest: int

    @classmethod
    def from_rows(cls, rows) -> "PlaceTable":
        """`rows`: (code, name) of provinces, cities and districts."""
        codes: dict[str, list[str]] = {}
        for code, name in rows:
            for key in {name, short_place(name)} - {""}:
                codes.setdefault(key, []).append(code)
        return cls({k: tuple(v) for k, v in codes.items()}, max((len(k) for k in codes), default=0))


@dataclass(frozen=True)
class NameParts:
    cleaned: str  # the whole name after clean() and the dropped marks
    places: tuple[str, ...]  # the place names stripped from the front (and from brackets)
    place_code: str  # the most specific division code they agree on ("" when none)
    trade_name: str  # 字号
    industry: str  # canonical industry word ("" when none found)
    form: str  # the legal form stripped
    branch: str  # the branch part split off ("" for a head office)
    grams: tuple[str, ...] = field(default=())  # the candidate-index keys (see index_keys)

    @property
    def core(self) -> str:
        return self.trade_name + self.industry

    @property
    def pinyin(self) -> str:
        return pinyin_of(self.trade_name)


@lru_cache(maxsize=65536)
def pinyin_of(text: str) -> str:
    return " ".join(lazy_pinyin(text, errors="ignore"))


def _strip_marks(text: str) -> str:
    for mark in DROPPED_MARKS:
        text = text.replace(mark, "")
    return text


def split_branch(text: str) -> tuple[str, str]:
    """("常州鑫达特钢有限公司", "武进分公司") from 常州鑫达特钢有限公司武进分公司; the parent ends at its legal form."""
    for mark in BRANCH_MARKS:
        if text.endswith(mark) and len(text) > len(mark):
            head = text[: -len(mark)]
            cut = max((head.rfind(form) + len(form) for form in LEGAL_FORMS if form in head[:-1]), default=-1)
            if 0 < cut < len(head):
                return head[:cut], head[cut:] + mark
            return head, mark
    return text, ""


def strip_form(text: str) -> tuple[str, str]:
    """Strip the longest legal-form suffix that leaves at least two characters."""
    for form in sorted(LEGAL_FORMS, key=len, reverse=True):
        if text.endswith(form) and len(text) - len(form) >= 2:
            return text[: -len(form)], form
    return text, ""


def _agreeing(codes: tuple[str, ...], chosen: str) -> str | None:
    """The code among `codes` inside (or containing) the place already found; the first one otherwise."""
    if not chosen:
        return codes[0]
    inside = [c for c in codes if c.startswith(_prefix(chosen)) or chosen.startswith(_prefix(c))]
    return inside[0] if inside else None


def _prefix(code: str) -> str:
    code = code.rstrip("0")
    return code + "0" * (len(code) % 2) if len(code) < 6 else code[:6]


def strip_places(text: str, table: PlaceTable) -> tuple[str, tuple[str, ...], str]:
    """Leading place names (longest first, repeatedly) and bracketed ones, e.g. 鑫达特钢(常州)."""
    found: list[str] = []
    code = ""
    for bracketed in re.findall(r"\(([^()]{2,12})\)", text):
        if bracketed in table.codes:
            found.append(bracketed)
            code = _agreeing(table.codes[bracketed], code) or code
            text = text.replace(f"({bracketed})", "")
    while True:
        for length in range(min(table.longest, len(text) - 2), 1, -1):
            head = text[:length]
            codes = table.codes.get(head)
            if codes:
                agreed = _agreeing(codes, code)
                if agreed is not None:
                    found.append(head)
                    if len(agreed.rstrip("0")) >= len(code.rstrip("0")):
                        code = agreed
                    text = text[length:]
                    break
        else:
            break
    return text, tuple(found), code


def split_industry(core: str) -> tuple[str, str]:
    """(字号, canonical industry): the industry is the longest known word at the end of the core."""
    for word in _INDUSTRY_ORDER:
        if core.endswith(word) and len(core) - len(word) >= 2:
            trade, industry = core[: -len(word)], INDUSTRY_WORDS[word]
            # two industry words in a row (鑫达钢铁贸易): keep the first, canonical, in the trade name's tail
            inner_trade, inner = split_industry(trade)
            if inner and len(inner_trade) >= 2:
                return inner_trade, inner + industry
            return trade, industry
    return core, ""


def index_keys(trade_name: str, industry: str) -> tuple[str, ...]:
    """Keys of the candidate index: the trade name's character bigrams (with the first industry character, so
    that a two-character trade name yields two), the whole trade name and its pinyin (homophones)."""
    text = trade_name + industry[:1]
    grams = {text[i : i + 2] for i in range(len(text) - 1)} if len(text) >= 2 else {text}
    grams |= {f"t:{trade_name}", f"p:{pinyin_of(trade_name)}"}
    return tuple(sorted(g for g in grams if g and g != "p:"))


def parse_name(name: str, table: PlaceTable) -> NameParts:
    cleaned = _strip_marks(clean(name))
    parent, branch = split_branch(cleaned)
    body, form = strip_form(parent)
    body = body.removesuffix("集团") if len(body) > 4 else body
    core, places, code = strip_places(body, table)
    trade, industry = split_industry(core)
    return NameParts(
        cleaned=cleaned,
        places=places,
        place_code=code,
        trade_name=trade,
        industry=industry,
        form=form,
        branch=branch,
        grams=index_keys(trade, industry),
    )


def clean_person_name(name: str) -> str:
    return clean(name)
