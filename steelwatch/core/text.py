"""The one rule for text typed, uploaded or posted by anyone (docs/hostile-input.md).

Every text field goes through the same functions whichever way it arrives: the web forms
(`steelwatch.core.forms.Form` applies `clean_text` to each CharField), the API (`steelwatch.core.schemas`:
`InputSchema` and `TextParam` apply it to every string) and the Excel imports (the `text()` cell parser of
`steelwatch.core.sheets`). The rule:

- whitespace normalised: Unicode NFC, surrounding space removed, CR LF / CR → LF;
- refused, with a Chinese message naming the field: NUL and the other C0 controls (tab and line feed are
  allowed only where the field is multi-line), DEL, the C1 controls, lone surrogates (text that is not valid
  Unicode) and the bidirectional overrides and isolates U+202A–202E, U+2066–2069 (which make a name read
  differently from what it is);
- bounded: the field's own max_length, or `LINE_MAX_LENGTH` / `MULTILINE_MAX_LENGTH` when it has none.

Writing is the other side: `export_safe` makes a value safe for a spreadsheet cell (rows stored before this
rule may still hold control characters), and `is_formula_like` tells the writer which text to protect from
being read as a formula.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LINE_MAX_LENGTH = 1_000  # a single-line field without its own bound
MULTILINE_MAX_LENGTH = 10_000  # a multi-line field (TextField, Textarea) without its own bound

_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_CONTROL_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE), plus lone surrogates (not encodable).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def normalize_text(value: str) -> str:
    """NFC, line ends as LF, surrounding whitespace removed. Lone surrogates are left for the check to name."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _describe(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return _("无效的字符编码 U+{code:04X}").format(code=code)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return _("改变文字方向的控制字符 U+{code:04X}").format(code=code)
    return _("不可见的控制字符 U+{code:04X}").format(code=code)


def text_problem(value: str, *, multiline: bool = False, max_length: int | None = None) -> str | None:
    """What is wrong with an (already normalised) text, as the tail of a message that starts with the field's
    name ("含有…"), or None when it is acceptable."""
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL_LINE
    if match := pattern.search(value):
        position = match.start() + 1
        if match.group() in "\t\n":
            return _("只能填写一行，不能含有换行符或制表符（第{position}个字符）").format(position=position)
        return _("含有{what}（第{position}个字符），请删除后重试").format(
            what=_describe(match.group()), position=position
        )
    limit = max_length or (MULTILINE_MAX_LENGTH if multiline else LINE_MAX_LENGTH)
    if len(value) > limit:
        return _("过长：最多{limit}个字，实际{length}个字").format(limit=limit, length=len(value))
    return None


def clean_text(value: str, *, label: str, multiline: bool = False, max_length: int | None = None) -> str:
    """`value` normalised, or ValidationError("<label>含有…") when the rule refuses it."""
    value = normalize_text(value)
    if problem := text_problem(value, multiline=multiline, max_length=max_length):
        raise ValidationError(f"{label}{problem}", code="text")
    return value


# A filesystem path (absolute, or relative with two or more separators) or a Python module path of ours or of
# a library: internal detail a user-facing message must not carry (docs/hostile-input.md).
_SEGMENT = r"[^\s/\\:*?\"<>|（）()，,；;：“”'`]+"
_FS_PATH = re.compile(
    rf"(?<![\w.])/(?:{_SEGMENT}/)+({_SEGMENT})"  # /srv/data/uploads/x.csv
    rf"|\b[A-Za-z]:\\(?:{_SEGMENT}\\)*({_SEGMENT})"  # C:\\Users\\x.xlsx
    rf"|\b(?:[\w.\-]*[A-Za-z_][\w.\-]*/){{2,}}([\w\-]+\.[A-Za-z]\w*)"  # data/uploads/x.csv (not 2026/12/01)
)
_MODULE_PATH = re.compile(
    r"\b(?:steelwatch|analytics|django|ninja|pydantic|polars|pyarrow|openpyxl)(?:\.\w+)+"
)
_TRACEBACK = re.compile(r"Traceback \(most recent call last\):.*", re.S)


def public_message(text: str) -> str:
    """`text` (a message that may be built from an exception) without filesystem paths (a file is named by
    its name only), Python module paths or a traceback."""
    text = _TRACEBACK.sub("", text)
    text = _FS_PATH.sub(lambda m: next(g for g in m.groups() if g), text)
    return _MODULE_PATH.sub("", text).strip()


def export_safe(value: str) -> str:
    """`value` without the characters a spreadsheet cell cannot hold (rows stored before the rule)."""
    return _UNWRITABLE.sub("", value)


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet read this text as a formula (or strip its first character)?"""
    return value.startswith(FORMULA_PREFIXES)
