"""Screening against the credit list — the one service every check calls (a new or imported enterprise, a
production licence, a zombie site's restart request, a case's enterprise, an incoming-goods supplier):

    screen(*, name="", uscc="", person_name="", person_id_number="", division_code="") -> list[Match]

Bands: `hit` — the same USCC (or legacy 15-digit registration number) or the same ID number (compared by
keyed HMAC); `strong` — the same name core (字号 + 行业, see names.py) with a compatible place; `review` —
a similar or homophone core (pinyin), the same trade name with another industry, the same core in an
incompatible place, or a person of the same name. Each match carries its evidence (`why`). Nothing here
refuses anything: a person decides match / no match (`screening_decide`), and that decision is shown with
the match the next time the same subject is screened.

Speed: a candidate index (`NameGram`: trade-name bigrams, the trade name, its pinyin) is queried first, and
only the best few hundred candidates are scored with rapidfuzz (bench/credit_screening.py: 100,000 entries).
"""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from rapidfuzz import fuzz

from steelwatch.core.access import require
from steelwatch.core.audit import audit_record
from steelwatch.geo.models import Division
from steelwatch.registry.uscc import normalize_uscc

from . import idnumber
from .models import Entry, NameGram, NameKey, ScreeningDecision
from .names import NameParts, PlaceTable, clean, parse_name

HIT, STRONG, REVIEW = "hit", "strong", "review"
BAND_ORDER = {HIT: 0, STRONG: 1, REVIEW: 2}
CANDIDATES = 300  # scored per name, best index overlap first
SIMILAR_TRADE = 80  # rapidfuzz ratio of trade names (3+ characters) counted as similar
SIMILAR_CORE = 85


@dataclass
class Match:
    entry_id: int
    band: str
    score: float
    why: list[str] = field(default_factory=list)
    decision: str = ""  # the last recorded human decision for this subject and entry: match | no_match


@lru_cache(maxsize=1)
def place_table() -> PlaceTable:
    rows = Division.objects.filter(level__lte=Division.Level.DISTRICT).values_list("code", "name")
    return PlaceTable.from_rows(rows)


def parse(name: str) -> NameParts:
    return parse_name(name, place_table())


# --- the index --------------------------------------------------------------------------------------------


def name_key_for(entry: Entry) -> tuple[NameKey, list[NameGram]]:
    """The entry's screening key (every entry: person screening reads `cleaned`) and its candidate-index rows —
    only while it is listed (decided or in force), so that the index holds nothing screening could not
    match and the candidate query needs no join to the entry's state."""
    parts = parse(entry.name) if not entry.is_person else None
    if parts is None:
        key = NameKey(entry=entry, cleaned=clean(entry.name)[:160], trade_name="", pinyin="")
        return key, []
    key = NameKey(
        entry=entry,
        cleaned=parts.cleaned[:160],
        trade_name=parts.trade_name[:64],
        industry=parts.industry[:32],
        pinyin=parts.pinyin[:200],
        place_code=parts.place_code or "",
        places="、".join(parts.places)[:100],
    )
    listed = entry.state in Entry.LISTED_STATES
    return key, [NameGram(entry=entry, gram=g[:64]) for g in parts.grams] if listed else []


def index_entry(entry: Entry) -> None:
    """(Re)compute the entry's screening key and index rows (called when an entry is created and at every
    change of its state: it enters the index when decided and leaves it when removed or withdrawn)."""
    NameKey.objects.filter(entry=entry).delete()
    NameGram.objects.filter(entry=entry).delete()
    key, grams = name_key_for(entry)
    key.save()
    NameGram.objects.bulk_create(grams)


def index_rebuild(batch: int = 2000) -> int:
    """Rebuild the whole index (after a change to names.py); returns the number of entries indexed."""
    count = 0
    NameGram.objects.all().delete()
    NameKey.objects.all().delete()
    keys, grams = [], []
    for entry in Entry.objects.only("pk", "name", "subject_kind", "state").iterator(chunk_size=batch):
        key, entry_grams = name_key_for(entry)
        keys.append(key)
        grams += entry_grams
        count += 1
        if len(keys) >= batch:
            NameKey.objects.bulk_create(keys)
            NameGram.objects.bulk_create(grams)
            keys, grams = [], []
    NameKey.objects.bulk_create(keys)
    NameGram.objects.bulk_create(grams)
    return count


# --- matching ---------------------------------------------------------------------------------------------


def _listed(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Entry.objects.filter(state__in=Entry.LISTED_STATES).exclude(ends_on__lte=today)


@lru_cache(maxsize=1)
def _upper_names() -> dict[str, str]:
    """Full names of every province, city and district (江苏省常州市武进区), from one query."""
    rows = Division.objects.filter(level__lte=Division.Level.DISTRICT).values_list(
        "code", "name", "parent_id"
    )
    parent = {code: (name, up) for code, name, up in rows}

    def full(code: str) -> str:
        name, up = parent[code]
        return (full(up) if up in parent else "") + name

    return {code: full(code) for code in parent}


@lru_cache(maxsize=4096)
def _division_name(code: str) -> str:
    """江苏省常州市武进区 for 320412: districts and above from one cached table, a township or village with
    one query for its chain, then cached — division names do not change while the platform runs."""
    if not code:
        return ""
    upper = _upper_names()
    if code in upper:
        return upper[code]
    division = Division.objects.select_related("parent__parent").filter(code=code).first()
    return division.full_name if division else code


def _city(code: str) -> str:
    return code[:4] if code and len(code) >= 4 else ""


def _places_compatible(a: str, b: str) -> bool:
    """Unknown places are compatible; known ones when one contains the other or both lie in one city."""
    if not a or not b:
        return True
    a6, b6 = a[:6].rstrip("0"), b[:6].rstrip("0")
    return a6.startswith(b6) or b6.startswith(a6) or _city(a) == _city(b)


def _industries_related(a: str, b: str) -> bool:
    return bool(a and b) and (a in b or b in a or bool(set(a) & set(b) & set("钢铁铸金冶")))


class _Collector:
    def __init__(self):
        self.matches: dict[int, Match] = {}

    def add(self, entry_id: int, band: str, score: float, why: list[str]) -> None:
        match = self.matches.get(entry_id)
        if match is None:
            self.matches[entry_id] = Match(entry_id, band, round(score, 1), list(why))
            return
        if BAND_ORDER[band] < BAND_ORDER[match.band]:
            match.band = band
        match.score = max(match.score, round(score, 1))
        match.why += [w for w in why if w not in match.why]


@dataclass(frozen=True)
class Candidate:
    """What scoring needs of one listed entry's name, read from the index (no Entry row is loaded)."""

    entry_id: int
    trade_name: str
    industry: str
    pinyin: str
    place: str  # the place in its name, else the listing authority's division


def _verdict(query: NameParts, key: Candidate, compatible: bool) -> tuple[str, float, str] | None:
    """Band, score and the deciding evidence of one candidate against the screened name (None: not similar).
    Cheap comparisons first: most candidates of a crowded index entry are refused here."""
    same_trade = query.trade_name == key.trade_name
    same_industry = query.industry == key.industry
    industry_ok = same_industry or not query.industry or not key.industry
    if same_trade:
        if same_industry and compatible:
            core_ratio = fuzz.ratio(query.core, key.trade_name + key.industry)
            return (
                STRONG,
                90 + core_ratio / 10,
                _("字号与行业相同（已统一繁简体、全半角、组织形式、地名和行业简称）"),
            )
        if industry_ok:
            return (
                REVIEW,
                80.0,
                _("字号与行业相同，但地区不符") if not compatible else _("字号相同，行业未写明"),
            )
        if _industries_related(query.industry, key.industry):
            return REVIEW, 75.0, _("字号相同，行业相近")
        if compatible:
            return REVIEW, 65.0, _("字号相同、行业不同（可能变更经营范围后重新登记）")
        return None
    if query.pinyin == key.pinyin and (industry_ok or _industries_related(query.industry, key.industry)):
        trade_ratio = fuzz.ratio(query.trade_name, key.trade_name)
        return (
            REVIEW,
            70 + trade_ratio / 10,
            _("字号同音（拼音“{pinyin}”）：可能为同音替换").format(pinyin=query.pinyin),
        )
    if len(query.trade_name) >= 3 and same_industry:
        trade_ratio = fuzz.ratio(query.trade_name, key.trade_name, score_cutoff=SIMILAR_TRADE)
        if trade_ratio:
            return REVIEW, float(trade_ratio), _("字号相似（相似度 {ratio:.0f}）").format(ratio=trade_ratio)
    core_ratio = fuzz.ratio(query.core, key.trade_name + key.industry, score_cutoff=SIMILAR_CORE)
    if core_ratio:
        return REVIEW, float(core_ratio), _("名称核心相似（相似度 {ratio:.0f}）").format(ratio=core_ratio)
    return None


def _score_names(query: NameParts, key: Candidate, place: str) -> tuple[str, float, list[str]] | None:
    """Band, score and evidence of one candidate's name against the screened one (None: not similar)."""
    if not query.trade_name or not key.trade_name:
        return None
    compatible = _places_compatible(place, key.place)
    verdict = _verdict(query, key, compatible)
    if verdict is None:
        return None
    band, score, reason = verdict
    why = [
        _("名称核心：本次“{q}”（字号“{qt}”，行业“{qi}”），名单“{e}”（字号“{et}”，行业“{ei}”）").format(
            q=query.core,
            qt=query.trade_name,
            qi=query.industry or "—",
            e=key.trade_name + key.industry,
            et=key.trade_name,
            ei=key.industry or "—",
        ),
        reason,
    ]
    if place and key.place:
        names = {"q": _division_name(place), "e": _division_name(key.place)}
        why.append(
            _("地区相容：本次 {q}，名单 {e}").format(**names)
            if compatible
            else _("地区不同：本次 {q}，名单 {e}").format(**names)
        )
    if query.branch:
        why.append(_("本次为分支机构（{branch}），按其总公司名称比对").format(branch=query.branch))
    return band, score, why


def _query_place(parts: NameParts, division_code: str) -> str:
    """The screened subject's place: from its registration (division_code) when it agrees with the name."""
    code = parts.place_code
    if division_code and (not code or _places_compatible(code, division_code)):
        return division_code if len(division_code.rstrip("0")) >= len(code.rstrip("0")) else code
    return code or division_code


def candidates(parts: NameParts, today: datetime.date | None = None) -> list[Candidate]:
    """The blocking step: listed entries sharing index keys with the name (the same trade name, its pinyin,
    trade-name bigrams), most keys shared first, at most CANDIDATES. The index holds listed entries only
    (name_key_for), so the ranking reads the (gram, entry) index alone — no join that a planner could turn
    into a scan of every entry in force; then the few hundred name keys are read as plain values, with the
    state and end date checked once more (an entry past its end date before the nightly removal)."""
    today = today or timezone.localdate()
    ranked = list(
        NameGram.objects.filter(gram__in=parts.grams)
        .values("entry_id")
        .annotate(n=Count("id"))
        .order_by("-n", "entry_id")
        .values_list("entry_id", flat=True)[:CANDIDATES]
    )
    if not ranked:
        return []
    # Only the primary keys in the WHERE clause (the state and end date are checked here): with a state
    # condition SQLite would walk the state index over every entry in force instead.
    rows = NameKey.objects.filter(entry_id__in=ranked).values_list(
        "entry_id",
        "trade_name",
        "industry",
        "pinyin",
        "place_code",
        "entry__division_id",
        "entry__state",
        "entry__ends_on",
    )
    return [
        Candidate(pk, trade, industry, pinyin, place or division)
        for pk, trade, industry, pinyin, place, division, state, ends_on in rows
        if state in Entry.LISTED_STATES and not (ends_on and ends_on <= today)
    ]


def _by_name(found: _Collector, name: str, division_code: str, today: datetime.date | None) -> None:
    parts = parse(name)
    if not parts.trade_name or not parts.grams:
        return
    place = _query_place(parts, division_code)
    for candidate in candidates(parts, today):
        scored = _score_names(parts, candidate, place)
        if scored:
            found.add(candidate.entry_id, *scored)


@sensitive_variables("person_id_number", "number")
def _by_person(found: _Collector, person_name: str, person_id_number: str, listed) -> None:
    number = idnumber.normalize_id(person_id_number)
    digest = idnumber.id_digest(number) if number else ""
    if digest:
        for entry_id in listed.filter(id_digest=digest).values_list("pk", flat=True):
            found.add(entry_id, HIT, 100.0, [_("居民身份证号码一致")])
    cleaned = clean(person_name)
    if len(cleaned) < 2:
        return
    same_name = listed.filter(
        subject_kind=Entry.SubjectKind.PERSON, name_key__cleaned=cleaned
    ) | listed.filter(legal_representative=person_name.strip())
    for entry in same_name.only("pk", "id_digest", "subject_kind", "name", "legal_representative"):
        if digest and entry.id_digest and entry.id_digest != digest:
            continue  # a different person of the same name
        role = _("名单自然人") if entry.is_person else _("名单企业的法定代表人")
        found.add(entry.pk, REVIEW, 60.0, [_("姓名相同（{role}）；仅凭姓名不能认定同一人").format(role=role)])


def subject_key(
    *, name: str = "", uscc: str = "", person_id_number: str = "", division_code: str = ""
) -> str:
    """The keyed hash a screening decision is filed under (never the ID number itself)."""
    uscc = normalize_uscc(uscc)
    if uscc:
        return idnumber.keyed_digest(f"uscc:{uscc}")
    number = idnumber.normalize_id(person_id_number)
    if number:
        return idnumber.keyed_digest(f"id:{number}")
    # by name: the same cleaned name within one city (a move to another district is the same subject)
    return idnumber.keyed_digest(f"name:{clean(name)}@{(division_code or '')[:4]}")


@sensitive_variables("person_id_number")
def screen(
    *,
    name: str = "",
    uscc: str = "",
    person_name: str = "",
    person_id_number: str = "",
    division_code: str = "",
    today: datetime.date | None = None,
) -> list[Match]:
    """Every entry in force that the subject may be, best first, each with its band and evidence."""
    name, person_name = (name or "")[:200], (person_name or "")[:64]
    listed = _listed(today)
    found = _Collector()
    code = normalize_uscc(uscc)
    if len(code) == 18:
        for entry_id in listed.filter(uscc=code).values_list("pk", flat=True):
            found.add(entry_id, HIT, 100.0, [_("统一社会信用代码一致：{uscc}").format(uscc=code)])
    elif len(code) == 15 and code.isdigit():
        for entry_id in listed.filter(registration_number=code).values_list("pk", flat=True):
            found.add(entry_id, HIT, 100.0, [_("原工商注册号一致：{number}").format(number=code)])
    if person_id_number or person_name:
        _by_person(found, person_name, person_id_number, listed)
    if name.strip():
        _by_name(found, name, division_code, today)
    matches = sorted(found.matches.values(), key=lambda m: (BAND_ORDER[m.band], -m.score, m.entry_id))
    _attach_decisions(
        matches,
        subject_key(name=name, uscc=code, person_id_number=person_id_number, division_code=division_code),
    )
    return matches


def _attach_decisions(matches: list[Match], key: str) -> None:
    if not matches:
        return
    decisions: dict[int, ScreeningDecision] = {}
    for d in ScreeningDecision.objects.filter(
        subject_key=key, entry_id__in=[m.entry_id for m in matches]
    ).select_related("decided_by"):
        decisions.setdefault(d.entry_id, d)  # newest first (Meta.ordering)
    for match in matches:
        decision = decisions.get(match.entry_id)
        if decision:
            match.decision = decision.verdict
            match.why.append(
                _("已有人工判定（{at:%Y-%m-%d}，{by}）：{verdict}——{reason}").format(
                    at=timezone.localtime(decision.decided_at),
                    by=decision.decided_by or _("系统"),
                    verdict=decision.get_verdict_display(),
                    reason=decision.reason,
                )
            )


def match_rows(matches: list[Match]) -> list[dict]:
    """What a screening panel shows of each matched entry: its public fields, never an ID number."""
    entries = Entry.objects.select_related("division").in_bulk([m.entry_id for m in matches])
    return [
        {"match": m, "entry": entries[m.entry_id], "band_label": BAND_LABELS[m.band]}
        for m in matches
        if m.entry_id in entries
    ]


BAND_LABELS = {HIT: _("命中"), STRONG: _("高度疑似"), REVIEW: _("需人工核查")}


@sensitive_variables("person_id_number")
def screening_decide(
    *,
    actor,
    entry_id: int,
    verdict: str,
    reason: str,
    name: str = "",
    uscc: str = "",
    person_name: str = "",
    person_id_number: str = "",
    division_code: str = "",
    context: str = "",
) -> ScreeningDecision:
    """A person's verdict on a match; the entry must be one the subject actually matches now."""
    require(actor, "credit.screen")
    if verdict not in ScreeningDecision.Verdict.values:
        raise ValidationError({"verdict": _("判定应为 match（同一主体）或 no_match（非同一主体）")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写判定理由")})
    matches = screen(
        name=name,
        uscc=uscc,
        person_name=person_name,
        person_id_number=person_id_number,
        division_code=division_code,
    )
    if entry_id not in {m.entry_id for m in matches}:
        raise ValidationError({"entry_id": _("该名单条目不是本次筛查的匹配结果")})
    entry = Entry.objects.get(pk=entry_id)
    label = " ".join(p for p in (name.strip(), normalize_uscc(uscc)) if p) or _("自然人")
    with transaction.atomic():
        decision = ScreeningDecision.objects.create(
            entry=entry,
            subject_key=subject_key(
                name=name, uscc=uscc, person_id_number=person_id_number, division_code=division_code
            ),
            subject_label=label[:160],
            verdict=verdict,
            reason=reason[:500],
            context=context[:64],
            decided_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="credit_screening_decide",
            target=entry,
            after={"subject": label, "verdict": verdict, "context": context},
            reason=reason,
            division_code=getattr(actor, "division_id", "") or "",
        )
    return decision


# --- the checks other apps call -----------------------------------------------------------------------------


def enterprise_subject(enterprise) -> dict:
    """What is screened of a ledger enterprise: name, USCC (or legacy number), place, legal representative."""
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc or enterprise.registration_number,
        "person_name": enterprise.legal_representative,
        "division_code": enterprise.division_id,
    }


def enterprise_matches(enterprise) -> list[Match]:
    return screen(**enterprise_subject(enterprise))


def flag_enterprise(*, actor, enterprise, context: str) -> list[Match]:
    """Screen a new (or renamed, re-registered) enterprise; matches are audited and the deciding roles of its
    area are told. Nothing is refused."""
    from django.urls import reverse

    from steelwatch.core.notify import notify, users_with

    matches = enterprise_matches(enterprise)
    if matches:
        audit_record(
            actor=actor,
            action="credit_screening_flag",
            target=enterprise,
            after={"context": context, "matches": [[m.entry_id, m.band, m.score] for m in matches[:20]]},
            division_code=enterprise.division_id,
        )
        notify(
            users_with("credit.decide", enterprise.division_id),
            f"信用名单筛查提示：{enterprise.name} 与 {len(matches)} 条名单记录相似或一致，请核查",
            reverse("registry:enterprise_detail", args=[enterprise.pk]),
        )
    return matches


def screen_rows(subjects: list[dict], *, limit: int = 500) -> list[tuple[dict, list[Match]]]:
    """Screen many subjects (an import preview): those with matches, with their matches."""
    flagged = []
    for subject in subjects[:limit]:
        keys = ("name", "uscc", "person_name", "division_code")
        name, uscc, person_name, division_code = (str(subject.get(k, "") or "") for k in keys)
        matches = screen(name=name, uscc=uscc, person_name=person_name, division_code=division_code)
        if matches:
            flagged.append((subject, matches))
    return flagged


def findings(
    *, name: str = "", uscc: str = "", division_code: str = "", bands: tuple[str, ...] | None = None
) -> list[str]:
    """The screening of one party (e.g. a supplier or manufacturer of an incoming-goods record) as readable
    lines, one per matched entry in force: band, listed name, list and document number, then the evidence.
    [] when the party matches nothing. No ID number appears (a party here is screened by name and USCC).
    `bands`: only matches of these bands, and none a person has already ruled out (no_match)."""
    lines = []
    for row in match_rows(screen(name=name, uscc=uscc, division_code=division_code)):
        match, entry = row["match"], row["entry"]
        if bands is not None and (
            match.band not in bands or match.decision == ScreeningDecision.Verdict.NO_MATCH
        ):
            continue
        listed = f"{entry.name}（{entry.get_list_kind_display()}"
        listed += f"，{entry.document_number}）" if entry.document_number else "）"
        lines.append(
            _("信用名单{band}：{listed}；{why}").format(
                band=row["band_label"], listed=listed, why="；".join(match.why)
            )
        )
    return lines


class Port:
    """What the apps below the credit layer reach through steelwatch.core.screening (registered in apps.py)."""

    def flag_enterprise(self, *, actor, enterprise, context: str) -> list[Match]:
        return flag_enterprise(actor=actor, enterprise=enterprise, context=context)

    def enterprise_matches(self, enterprise) -> list[Match]:
        return enterprise_matches(enterprise)

    def screen_rows(self, subjects: list[dict]) -> list[tuple[dict, list[dict]]]:
        return [(subject, match_rows(matches)) for subject, matches in screen_rows(subjects)]
